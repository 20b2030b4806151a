import { fileURLToPath } from "node:url";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrateLocked } from "./migrate-locked.js";
import * as schema from "./schema.js";
import { cacheStatements } from "./statement-cache.js";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export const MIGRATIONS_DIR = fileURLToPath(new URL("../../migrations", import.meta.url));

/**
 * How long a writer waits for another one (a second server loading, `db:reset`, an import) before
 * giving up with SQLITE_BUSY. Every writer takes the lock up front (BEGIN IMMEDIATE), so waiting is
 * all it takes; a load of the whole review takes well under a second, a 1M-study summary rebuild
 * about twenty.
 */
export const BUSY_TIMEOUT_MS = 60_000;

/**
 * Opens (creating if needed) a database file, or ":memory:", with WAL and foreign keys on, and
 * each SQL text compiled once per connection (statement-cache.ts).
 * `readOnly` opens an existing file without ever writing to it (read-only mode, src/db/serving.ts);
 * `sqlite` hands in a connection opened another way (an in-memory copy of a read-only file).
 */
export function openDb(path: string, { readOnly = false, sqlite }: { readOnly?: boolean; sqlite?: Database.Database } = {}): Db {
  if (!readOnly && !sqlite && path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const conn = sqlite ?? new Database(path, { readonly: readOnly, fileMustExist: readOnly, timeout: BUSY_TIMEOUT_MS });
  if (!readOnly) {
    conn.pragma("journal_mode = WAL");
    // NORMAL is durable enough under WAL and keeps bulk loads fast.
    conn.pragma("synchronous = NORMAL");
  }
  conn.pragma("foreign_keys = ON");
  return drizzle(cacheStatements(conn), { schema }) as Db;
}

export function migrateDb(db: Db): void {
  migrateLocked(db.$client, MIGRATIONS_DIR);
}
