import type Database from "better-sqlite3";
import { readMigrationFiles } from "drizzle-orm/migrator";

const TABLE = "__drizzle_migrations";

/**
 * drizzle's migrator, with the write lock taken up front. drizzle reads the last applied
 * migration outside its transaction and then opens a deferred one, so two processes starting on a
 * new file both decide to migrate and the second fails (SQLITE_BUSY, or "table already exists").
 * Here the pending list is read again under BEGIN IMMEDIATE, so a second process waits (busy
 * timeout) and then finds nothing to do. Same table and rows as drizzle's, so either can follow the
 * other. A database with nothing pending is only read: a read-only file that is current opens.
 */
export function migrateLocked(sqlite: Database.Database, migrationsFolder: string): number {
  const migrations = readMigrationFiles({ migrationsFolder });
  const pending = () => pendingOf(sqlite, migrations);
  if (pending().length === 0) return 0;
  return sqlite
    .transaction(() => {
      sqlite.exec(`CREATE TABLE IF NOT EXISTS "${TABLE}" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`);
      const todo = pending();
      const record = sqlite.prepare(`INSERT INTO "${TABLE}" ("hash", "created_at") VALUES (?, ?)`);
      for (const m of todo) {
        for (const statement of m.sql) if (statement.trim()) sqlite.exec(statement);
        record.run(m.hash, m.folderMillis);
      }
      return todo.length;
    })
    .immediate();
}

/** The migrations a database lacks, without writing: what read-only mode checks before serving. */
export function pendingMigrations(sqlite: Database.Database, migrationsFolder: string): number {
  return pendingOf(sqlite, readMigrationFiles({ migrationsFolder })).length;
}

function pendingOf<M extends { folderMillis: number }>(sqlite: Database.Database, migrations: M[]): M[] {
  const exists = sqlite.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").pluck().get(TABLE) !== undefined;
  const last = exists ? (sqlite.prepare(`SELECT created_at FROM "${TABLE}" ORDER BY created_at DESC LIMIT 1`).pluck().get() as number | undefined) : undefined;
  return migrations.filter((m) => last === undefined || Number(last) < m.folderMillis);
}
