import type Database from "better-sqlite3";

type Probe = { other: Database.Statement; own: Database.Statement };
const probes = new WeakMap<Database.Database, Probe>();

/**
 * A token that changes whenever the data this connection can read may have changed.
 *
 * Two counters, because SQLite splits the question in two:
 * - `PRAGMA data_version` changes when another connection (or process) commits to the file, but
 *   deliberately ignores this connection's own commits;
 * - `total_changes()` counts every row this connection has inserted, updated or deleted (trigger
 *   and cascade rows included), so it covers exactly what data_version leaves out.
 * Both only grow, so a token never repeats. A rollback does not move them back, so a result read
 * inside an open transaction must not be cached (cachedQuery bypasses itself there). Schema
 * changes on this connection are not counted; they happen only in migrations at start-up, before
 * anything is cached.
 *
 * Read the token before running the query it keys: a commit landing in between then leaves newer
 * data under an older token, which no later request will ask for again.
 */
export function dataVersion(sqlite: Database.Database): string {
  let probe = probes.get(sqlite);
  if (!probe) {
    probe = {
      other: sqlite.prepare("PRAGMA data_version").pluck(),
      own: sqlite.prepare("SELECT total_changes()").pluck(),
    };
    probes.set(sqlite, probe);
  }
  return `${probe.other.get() as number}.${probe.own.get() as number}`;
}
