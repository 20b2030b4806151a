import { type LoadFailureReport, loadAll, type LoadOutcome } from "../ingest/load.js";
import { migrateDb, openDb, type Db } from "./client.js";

/**
 * Opens the database, migrates it and loads every review whose data changed. A review folder
 * that fails is listed in `failed` (and in /health), never thrown: the others are served.
 */
export function openAndLoad(path: string, dataDir: string): { db: Db; loaded: LoadOutcome[]; failed: LoadFailureReport[] } {
  const db = openDb(path);
  migrateDb(db);
  return { db, ...loadAll(db, dataDir) };
}

/** What a start says of each review: one line per loaded review, one per problem of a failed one. */
export function describeLoad({ loaded, failed }: { loaded: LoadOutcome[]; failed: LoadFailureReport[] }): string[] {
  return [
    ...loaded.map((l) => `review ${l.reviewId}: ${l.status} (${l.studies} studies, ${l.works} works)`),
    ...failed.flatMap((f) => [
      `review ${f.reviewId ?? f.dir}: NOT LOADED (${f.problems.length} problem${f.problems.length === 1 ? "" : "s"}; the other reviews are served)`,
      ...f.problems.map((p) => `  ${p}`),
    ]),
  ];
}
