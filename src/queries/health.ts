import { count } from "drizzle-orm";
import { cachedQuery } from "../cache/query-cache.js";
import type { Db } from "../db/client.js";
import { loadFailures, reviews, works } from "../db/schema.js";
import { countStudies } from "./study-count.js";

/**
 * The works, counted once per data version (which moves with every write, so the count is exact):
 * count(*) walks a whole index, 13–45 ms at 1M, on every liveness probe. Kept with the caches off
 * too, as the study count read from the summaries is.
 */
const countWorks = cachedQuery((db: Db, _: null) => db.select({ n: count() }).from(works).get()?.n ?? 0, { maxEntries: 1, keepWhenOff: true });

/** Counts of what is served, and every review folder that failed to load at the last start. */
export function getHealth(db: Db) {
  const failures = db
    .select()
    .from(loadFailures)
    .orderBy(loadFailures.dir)
    .all()
    .map((f) => ({ review: f.reviewId, dir: f.dir, problems: f.problems, failed_at: f.failedAt }));
  return {
    status: failures.length > 0 ? ("degraded" as const) : ("ok" as const),
    reviews: db.select({ n: count() }).from(reviews).get()?.n ?? 0,
    // From the summaries (a scan only while they are stale): count(*) walked a whole index, 20-60 ms
    // at 1M, on every liveness probe and on the first answer after a start.
    studies: countStudies(db, {}),
    works: countWorks(db, null),
    failures,
  };
}
