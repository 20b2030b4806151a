import { count } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { loadFailures, reviews, works } from "../db/schema.js";
import { countStudies } from "./study-count.js";

/** Counts of what is served, and every review folder that failed to load at the last start. */
export function getHealth(db: Db) {
  const n = (table: typeof reviews | typeof works) => db.select({ n: count() }).from(table).get()?.n ?? 0;
  const failures = db
    .select()
    .from(loadFailures)
    .orderBy(loadFailures.dir)
    .all()
    .map((f) => ({ review: f.reviewId, dir: f.dir, problems: f.problems, failed_at: f.failedAt }));
  return {
    status: failures.length > 0 ? ("degraded" as const) : ("ok" as const),
    reviews: n(reviews),
    // From the summaries (a scan only while they are stale): count(*) walked a whole index, 20-60 ms
    // at 1M, on every liveness probe and on the first answer after a start.
    studies: countStudies(db, {}),
    works: n(works),
    failures,
  };
}
