import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { type LoadFailureReport, loadAll, type LoadOutcome } from "../ingest/load.js";
import { BUSY_TIMEOUT_MS, MIGRATIONS_DIR, migrateDb, openDb, type Db } from "./client.js";
import { rememberFile } from "./file-identity.js";
import { explainDatabaseError, explainLoadError, StartupError } from "./open-errors.js";
import { pendingMigrations } from "./migrate-locked.js";

export type Serving = { db: Db; loaded: LoadOutcome[]; failed: LoadFailureReport[]; readOnly: boolean };

// A WAL database in a directory nobody may write to cannot be opened by SQLite (it needs its -shm
// file); up to this size it is served from a copy in memory, larger it is refused with the fix.
const MAX_IN_MEMORY_COPY = 256 * 2 ** 20;

/**
 * The server's database, ready to answer: opened, checked (PRAGMA quick_check, so a damaged file
 * is refused here rather than answering 500s later), migrated and loaded. A file (or directory)
 * this user cannot write is served in read-only mode: as it is, never loaded or migrated; it must
 * already hold every migration. Every failure is a StartupError whose message is one line with the
 * path, the cause and the fix.
 */
export function openForServing(databasePath: string, dataDir: string): Serving {
  const where = { databasePath, dataDir };
  let db: Db;
  let readOnly: boolean;
  try {
    readOnly = !writable(databasePath);
    db = readOnly ? openReadOnly(databasePath) : openDb(databasePath);
    rememberFile(db, databasePath);
    check(db, databasePath, dataDir);
    const missing = readOnly ? pendingMigrations(db.$client, MIGRATIONS_DIR) : 0;
    if (missing > 0) {
      throw new StartupError(
        `database ${databasePath} is read-only and older than this version (it lacks ${missing} migration(s)): make it writable for one start so it is migrated, or run the version that wrote it`,
      );
    }
    if (!readOnly) migrateDb(db);
  } catch (err) {
    throw new StartupError(explainDatabaseError(err, where));
  }
  if (readOnly) return { db, loaded: [], failed: [], readOnly };
  try {
    // A review folder that fails is reported, not thrown (issue 9): only database errors end here.
    const load = loadAll(db, dataDir);
    stamp(db, databasePath);
    return { db, ...load, readOnly };
  } catch (err) {
    // A database error while loading (locked too long, disk full) is about the database, not the data.
    const sqlite = typeof (err as { code?: unknown }).code === "string" && String((err as { code: string }).code).startsWith("SQLITE_");
    throw new StartupError(sqlite ? explainDatabaseError(err, where) : explainLoadError(err, where));
  }
}

/** Whether this process may write the file and its directory (SQLite writes -wal and -shm beside it). */
function writable(path: string): boolean {
  if (path === ":memory:") return true;
  const dir = dirname(path);
  if (!existsSync(path)) {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (err) {
      throw new StartupError(explainDatabaseError(err, { databasePath: path, dataDir: "" }));
    }
  } else if (statSync(path).isDirectory()) {
    throw new StartupError(`database ${path} is a directory, not a file: set DATABASE_PATH to a file inside it, e.g. ${path}/litreview.db`);
  }
  return canWrite(dir) && (!existsSync(path) || canWrite(path));
}

function canWrite(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function openReadOnly(path: string): Db {
  try {
    const db = openDb(path, { readOnly: true });
    db.$client.prepare("SELECT count(*) FROM sqlite_schema").get();
    return db;
  } catch (err) {
    const code = String((err as { code?: unknown }).code ?? "");
    if (code !== "SQLITE_READONLY_DIRECTORY" && code !== "SQLITE_CANTOPEN") throw err;
    const size = statSync(path).size;
    if (size > MAX_IN_MEMORY_COPY) {
      throw new StartupError(
        `database ${path} is in WAL mode in a directory this user cannot write, and SQLite needs to create ${path}-shm there (${code}): make the directory writable, or convert the file once with \`sqlite3 ${path} "PRAGMA journal_mode=DELETE"\``,
      );
    }
    // Bytes 18 and 19 say "WAL"; as a rollback-journal file the copy needs no -shm. It is only read.
    const bytes = readFileSync(path);
    bytes[18] = 1;
    bytes[19] = 1;
    return openDb(path, { readOnly: true, sqlite: new Database(bytes, { readonly: true, timeout: BUSY_TIMEOUT_MS }) });
  }
}

/**
 * quick_check reads every page: about 8 s for a 1M-study file, which a start cannot afford each
 * time. A file this process left checked, loaded and checkpointed is stamped (its size and mtime,
 * in `<db>-checked`); while the stamp matches and the WAL holds nothing, nothing has written the
 * file since, and the check is skipped. Any other writer, a copy or a damaged write changes it.
 */
const stampPath = (path: string) => `${path}-checked`;
const fileStamp = (path: string) => `${statSync(path).size}:${statSync(path).mtimeMs}`;
function checkedBefore(path: string): boolean {
  if (path === ":memory:" || !existsSync(stampPath(path))) return false;
  const walEmpty = !existsSync(`${path}-wal`) || statSync(`${path}-wal`).size === 0;
  return walEmpty && readFileSync(stampPath(path), "utf8") === fileStamp(path);
}
/** After a clean start: fold the WAL into the file (so reads alone leave it as stamped), then stamp it. */
function stamp(db: Db, path: string): void {
  if (path === ":memory:") return;
  try {
    db.$client.pragma("wal_checkpoint(TRUNCATE)");
    writeFileSync(stampPath(path), fileStamp(path));
  } catch {
    // No stamp: the next start checks the whole file again, which is only slower.
  }
}

function check(db: Db, path: string, dataDir: string): void {
  if (checkedBefore(path)) return;
  const result = db.$client.pragma("quick_check(1)", { simple: true });
  if (result !== "ok") {
    throw new StartupError(
      `database ${path} is damaged (quick_check: ${String(result)}): restore it from a backup, or move it away and run \`npm run db:reset\` to rebuild it from ${dataDir}`,
    );
  }
}
