import { loadAll, type LoadOutcome } from "../ingest/load.js";
import { migrateDb, openDb, type Db } from "./client.js";

/** Opens the database, migrates it and loads every review whose data changed. */
export function openAndLoad(path: string, dataDir: string): { db: Db; loaded: LoadOutcome[] } {
  const db = openDb(path);
  migrateDb(db);
  return { db, loaded: loadAll(db, dataDir) };
}
