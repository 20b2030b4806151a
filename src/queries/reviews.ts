import { and, asc, count, countDistinct, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { reviews, studies, studyResults, workEntries } from "../db/schema.js";
import { reviewTallies, type ReviewTally } from "../columns/review-tallies.js";
import { builtColumns } from "../columns/registry.js";
import { contributingReviewsOf } from "../columns/contributing.js";
import { accuracy, accuracyJoin, filtersUseAccuracy, studyConditions, type StudyFilters } from "./filters.js";

export type ReviewSource = { id: string; title: string; citation: string; accepted: string | null };

/** The reviews an answer draws on: the one asked for, or every loaded review. */
export function listReviewSources(db: Db, reviewId?: string): ReviewSource[] {
  const q = db
    .select({ id: reviews.id, title: reviews.title, citation: reviews.citation, accepted: reviews.accepted })
    .from(reviews);
  return (reviewId === undefined ? q : q.where(eq(reviews.id, reviewId))).orderBy(reviews.id).all();
}

/**
 * The ids of the reviews with at least one study matching the filters: what an answer's
 * provenance names. One DISTINCT pass over the matching studies, linear in the matches: an EXISTS
 * probe per review looked cheaper but walked the organ index from its start for every review
 * (organ=brain at 1M: 1.6 s, against 57 ms this way).
 */
export function contributingReviewIds(db: Db, filters: StudyFilters): string[] {
  // No filter: one probe of each review's own index range (under 1 ms for 101 reviews at 1M),
  // where a pass over every study takes 150-330 ms.
  if (Object.values(filters).every((v) => v === undefined)) {
    const has = sql`exists (select 1 from ${studies} where ${studies.reviewId} = ${reviews.id})`;
    return db.select({ id: reviews.id }).from(reviews).where(has).orderBy(reviews.id).all().map((r) => r.id);
  }
  // The column store, when built (never built for this: a page's provenance must not wait for it).
  const store = builtColumns(db);
  if (store) return contributingReviewsOf(db, store, filters);
  const base = db.selectDistinct({ id: studies.reviewId }).from(studies).$dynamic();
  return (filtersUseAccuracy(filters) ? base.innerJoin(accuracy, accuracyJoin) : base)
    .where(and(...studyConditions(filters)))
    .all()
    .map((r) => r.id)
    .sort();
}

/** A review as /v1/reviews lists it: what it is, what it holds, and which load it came from. */
export type ReviewSummary = ReviewSource & {
  authors: string[];
  studies: number;
  works: number;
  metrics: Record<string, number>;
  organs: Record<string, number>;
  loaded_at: string;
  data_hash: string;
};

/** A loaded review's studies and the distinct works its entries name, from its own index ranges. */
export function reviewCounts(db: Db, reviewId: string): { studies: number; works: number } {
  return {
    studies: db.select({ n: count() }).from(studies).where(eq(studies.reviewId, reviewId)).get()?.n ?? 0,
    works: db.select({ n: countDistinct(workEntries.workId) }).from(workEntries).where(eq(workEntries.reviewId, reviewId)).get()?.n ?? 0,
  };
}

const countsOf = (rows: { key: string | null; n: number }[]) => Object.fromEntries(rows.map((r) => [r.key ?? "(none)", r.n]));

/** One review's counts in SQL, from its own index ranges. */
function reviewTally(db: Db, reviewId: string): ReviewTally {
  const metrics = db
    .select({ key: studyResults.metric, n: count() })
    .from(studies)
    .innerJoin(studyResults, eq(studyResults.studyId, studies.id))
    .where(eq(studies.reviewId, reviewId))
    .groupBy(studyResults.metric)
    .orderBy(studyResults.metric)
    .all();
  const organs = db
    .select({ key: studies.organ, n: count() })
    .from(studies)
    .where(eq(studies.reviewId, reviewId))
    .groupBy(studies.organ)
    .orderBy(studies.organ)
    .all();
  return { ...reviewCounts(db, reviewId), metrics: countsOf(metrics), organs: countsOf(organs) };
}

/** Every loaded review (or the one asked for) with its counts of studies, works, metrics and organs. */
export function listReviews(db: Db, reviewId?: string): ReviewSummary[] {
  const rows = db
    .select()
    .from(reviews)
    .where(reviewId === undefined ? undefined : eq(reviews.id, reviewId))
    .orderBy(asc(reviews.id))
    .all();
  // The whole list at once from the column store when it is built; per review in SQL otherwise
  // (and for a review without studies, which the store does not know).
  const tallies = reviewId === undefined ? reviewTallies(db) : null;
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    citation: r.citation,
    accepted: r.accepted,
    authors: r.authors,
    ...(tallies?.get(r.id) ?? reviewTally(db, r.id)),
    loaded_at: r.loadedAt,
    data_hash: r.dataHash,
  }));
}

/**
 * The identity of the loaded data: every review's id and the hash of the files it was loaded
 * from. Unlike SQLite's change counters it survives a restart, so it can key an ETag.
 */
export function loadedDataIdentity(db: Db): string {
  return db
    .select({ id: reviews.id, hash: reviews.dataHash })
    .from(reviews)
    .orderBy(reviews.id)
    .all()
    .map((r) => `${r.id}:${r.hash}`)
    .join(",");
}
