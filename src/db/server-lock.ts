import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Which server processes are using a database file: each one writes an empty file named by its pid
 * into `<database>-servers/` beside the -wal and -shm files, and removes it on exit. SQLite cannot
 * say who else has a file open, and `db:reset` must not delete a file under a running server (it
 * would go on answering from the deleted file). A pid file left by a killed server is recognised by
 * its process being gone.
 */
const dirOf = (databasePath: string) => `${databasePath}-servers`;

/** Marks this process as a server of the file; returns the function that unmarks it (best effort). */
export function registerServer(databasePath: string): () => void {
  const dir = dirOf(databasePath);
  const file = join(dir, String(process.pid));
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, "");
  } catch {
    // A read-only directory: nothing can reset that database, so there is nothing to guard.
    return () => {};
  }
  return () => rmSync(file, { force: true });
}

/** Pids of live servers using the file; stale marks of killed servers are removed on the way. */
export function liveServers(databasePath: string): number[] {
  let names: string[];
  try {
    names = readdirSync(dirOf(databasePath));
  } catch {
    return [];
  }
  const live: number[] = [];
  for (const name of names) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    if (pid !== process.pid && isAlive(pid)) live.push(pid);
    else if (pid !== process.pid) rmSync(join(dirOf(databasePath), name), { force: true });
  }
  return live;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive, but another user's.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
