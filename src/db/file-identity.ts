import { statSync } from "node:fs";
import type { Db } from "./client.js";

type Identity = { path: string; dev: number; ino: number };
const identities = new WeakMap<Db["$client"], Identity>();

/**
 * Notes which file the server opened (its device and inode), so /health can tell when the path
 * now names another file or none: `npm run db:reset` or a copy over it while the server runs
 * leaves the server reading the old, deleted file, which SQLite keeps open without complaint.
 */
export function rememberFile(db: Db, path: string): void {
  if (path === ":memory:") return;
  const { dev, ino } = statSync(path);
  identities.set(db.$client, { path, dev, ino });
}

/**
 * The device and inode of the file at this connection's path, when that is still the file the
 * connection reads: null when the path names no file, or (for a connection whose file was
 * remembered at open) another file. What a second connection opened by path would read.
 */
export function pathIdentity(sqlite: Db["$client"]): { dev: number; ino: number } | null {
  if (sqlite.memory) return null;
  let now: { dev: number; ino: number };
  try {
    now = statSync(sqlite.name);
  } catch {
    return null;
  }
  const opened = identities.get(sqlite);
  if (opened && (now.dev !== opened.dev || now.ino !== opened.ino)) return null;
  return { dev: now.dev, ino: now.ino };
}

/** Why the served file is no longer the one at its path, or null (one stat call: cheap enough per /health). */
export function fileProblem(db: Db): string | null {
  const opened = identities.get(db.$client);
  if (!opened) return null;
  let now: { dev: number; ino: number };
  try {
    now = statSync(opened.path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return `database ${opened.path} was ${code === "ENOENT" ? "deleted" : `made unreadable (${code})`} while the server ran: it serves the file it opened; restart it`;
  }
  if (now.dev !== opened.dev || now.ino !== opened.ino) {
    return `database ${opened.path} was replaced by another file while the server ran: it serves the file it opened; restart it`;
  }
  return null;
}
