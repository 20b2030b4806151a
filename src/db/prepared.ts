import type { Db } from "./client.js";

/**
 * Builds something from a connection once and keeps it for that connection's life: a query's
 * drizzle `.prepare()`d statements, whose SQL is then neither rebuilt nor recompiled per call.
 * Keyed weakly, so a closed in-memory test database takes its statements with it.
 */
export function perConnection<T>(build: (db: Db) => T): (db: Db) => T {
  const built = new WeakMap<Db, T>();
  return (db) => {
    const value = built.get(db) ?? build(db);
    built.set(db, value);
    return value;
  };
}
