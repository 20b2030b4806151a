import { count } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { loadFailures, reviews, studies, works } from "../db/schema.js";

/** Counts of what is served, and every review folder that failed to load at the last start. */
export function getHealth(db: Db) {
  const n = (table: typeof reviews | typeof studies | typeof works) => db.select({ n: count() }).from(table).get()?.n ?? 0;
  const failures = db
    .select()
    .from(loadFailures)
    .orderBy(loadFailures.dir)
    .all()
    .map((f) => ({ review: f.reviewId, dir: f.dir, problems: f.problems, failed_at: f.failedAt }));
  return {
    status: failures.length > 0 ? ("degraded" as const) : ("ok" as const),
    reviews: n(reviews),
    studies: n(studies),
    works: n(works),
    failures,
  };
}
