/** A start-up failure already phrased for the operator: one line with the path, the cause and the fix. */
export class StartupError extends Error {}

type Where = { databasePath: string; dataDir: string };

const codeOf = (err: unknown) => (err && typeof err === "object" && "code" in err ? String(err.code) : "");
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err)).split("\n")[0]!;
const RESET = "`npm run db:reset`";

/**
 * Turns what opening, checking or migrating the database threw into one line for the operator.
 * SQLite's own words stay in brackets, so a search for them still finds this case.
 */
export function explainDatabaseError(err: unknown, { databasePath: db, dataDir }: Where): string {
  if (err instanceof StartupError) return err.message;
  const code = codeOf(err);
  const cause = `(${messageOf(err)})`;
  if (code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT")) {
    return `database ${db} is damaged or not a SQLite database ${cause}: restore it from a backup, or move it away and run ${RESET} to rebuild it from ${dataDir}`;
  }
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return `database ${db} stayed locked by another process ${cause}: another server, ${RESET} or an import is writing it; start again when it has finished`;
  }
  if (code.startsWith("SQLITE_READONLY")) {
    return `database ${db} cannot be written ${cause}: make the file and its directory writable by this user, or see "Read-only mode" in the README`;
  }
  if (code.startsWith("SQLITE_CANTOPEN")) {
    return `cannot open database ${db} ${cause}: check that the path is a file (not a directory) and that this user can read it and its directory, or set DATABASE_PATH`;
  }
  if (code === "SQLITE_FULL" || code.startsWith("SQLITE_IOERR")) {
    return `cannot read or write database ${db} ${cause}: check the disk (free space, errors) and start again`;
  }
  if (["EACCES", "EPERM", "EROFS", "ENOTDIR", "EEXIST", "ENOENT"].includes(code)) {
    return `cannot create the directory of database ${db} ${cause}: create it with write access for this user, or set DATABASE_PATH to a writable place`;
  }
  return `database ${db} could not be opened ${cause}`;
}

/** A review folder that would not load: the loader's message names the file and row. */
export const explainLoadError = (err: unknown, { dataDir }: Where) =>
  err instanceof StartupError ? err.message : `the reviews under ${dataDir} could not be loaded (${messageOf(err)}): correct the file named (see data/README.md), or set DATA_DIR`;

/** Listening failed: the port is taken or not ours to use. */
export function explainListenError(err: unknown, host: string, port: number): string {
  const code = codeOf(err);
  if (code === "EADDRINUSE") return `port ${port} on ${host} is already in use (${messageOf(err)}): stop the other server or set PORT to a free port`;
  if (code === "EACCES") return `port ${port} on ${host} is not open to this user (${messageOf(err)}): set PORT above 1023`;
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") return `HOST ${host} is not an address of this machine (${messageOf(err)}): set HOST, e.g. 127.0.0.1`;
  return `cannot listen on ${host}:${port} (${messageOf(err)})`;
}
