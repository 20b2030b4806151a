import type Database from "better-sqlite3";
import { openDb, type Db } from "./client.js";

// Connections inside a read snapshot opened here (as opposed to a write transaction).
const snapshots = new WeakSet<Database.Database>();

/**
 * Inside a write transaction, whose reads may still be rolled back (so nothing read there may be
 * cached); a read snapshot is not one: what it reads is committed data of one version.
 */
export const inWriteTransaction = (sqlite: Database.Database) => sqlite.inTransaction && !snapshots.has(sqlite);

/**
 * Starts a read transaction and fixes its snapshot at once (a deferred BEGIN takes it at the first
 * read, which may come after another process's commit). Every read until endSnapshot sees the
 * database as of this moment, whatever other connections commit meanwhile (WAL).
 */
export function beginSnapshot(sqlite: Database.Database): void {
  // Prepared, not exec(): exec parses its text on every call, and every API request runs these
  // (the connection's statement cache, db/statement-cache.ts, compiles each text once).
  sqlite.prepare("BEGIN").run();
  snapshots.add(sqlite);
  sqlite.prepare("SELECT 1 FROM sqlite_schema LIMIT 1").get();
}

export function endSnapshot(sqlite: Database.Database): void {
  snapshots.delete(sqlite);
  if (sqlite.inTransaction) sqlite.prepare("COMMIT").run();
}

/** Runs synchronous reads in one snapshot (or in the transaction already open on the connection). */
export function readSnapshot<T>(db: Db, read: () => T): T {
  const sqlite = db.$client;
  if (sqlite.inTransaction) return read();
  beginSnapshot(sqlite);
  try {
    return read();
  } finally {
    endSnapshot(sqlite);
  }
}

/**
 * A connection of its own holding one snapshot, for reads spread over many turns of the event loop
 * (a streamed download read a batch at a time as the client takes it): the server's connection
 * cannot hold a transaction across them while it answers other requests. Close it when done. An
 * in-memory database has no other writer and cannot be opened twice: its own connection is used.
 */
export function openSnapshot(db: Db): { db: Db; close: () => void } {
  if (db.$client.memory) return { db, close: () => {} };
  const own = openDb(db.$client.name, { readOnly: true });
  beginSnapshot(own.$client);
  let open = true;
  return {
    db: own,
    close: () => {
      if (!open) return;
      open = false;
      endSnapshot(own.$client);
      own.$client.close();
    },
  };
}
