import { and, asc, count, countDistinct, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { reviews, studies, studyResults, workEntries } from "../db/schema.js";
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

type KeyCount = { review: string; key: string | null; n: number };
const tally = (rows: KeyCount[]) => Object.fromEntries(rows.map((r) => [r.key ?? "(none)", r.n]));

/** The metrics and organs of one review, from its own index range. */
function reviewTallies(db: Db, reviewId: string): { metrics: KeyCount[]; organs: KeyCount[] } {
  return {
    metrics: db.all<KeyCount>(
      sql`SELECT s.review_id AS review, r.metric AS key, count(*) AS n FROM ${studies} s JOIN ${studyResults} r ON r.study_id = s.id
          WHERE s.review_id = ${reviewId} GROUP BY r.metric ORDER BY r.metric`,
    ),
    organs: db.all<KeyCount>(sql`SELECT review_id AS review, organ AS key, count(*) AS n FROM ${studies} WHERE review_id = ${reviewId} GROUP BY organ ORDER BY organ`),
  };
}

/**
 * The metrics and organs of every review in one grouped pass each. Query by query per review, a
 * 1M-study base took 14 s (each review's studies read row by row); the organ index holds the
 * review, so the organ counts read no study row (100k: 2.0 s -> 0.5 s for the whole list).
 */
function allTallies(db: Db): Map<string, { metrics: KeyCount[]; organs: KeyCount[] }> {
  const metrics = db.all<KeyCount>(
    sql`SELECT s.review_id AS review, r.metric AS key, count(*) AS n FROM ${studyResults} r JOIN ${studies} s ON s.id = r.study_id
        GROUP BY s.review_id, r.metric ORDER BY s.review_id, r.metric`,
  );
  const organs = db.all<KeyCount>(
    sql`SELECT review_id AS review, organ AS key, count(*) AS n FROM ${studies} INDEXED BY studies_organ_idx GROUP BY organ, review_id ORDER BY organ, review_id`,
  );
  const byReview = new Map<string, { metrics: KeyCount[]; organs: KeyCount[] }>();
  const of = (review: string) => byReview.get(review) ?? byReview.set(review, { metrics: [], organs: [] }).get(review)!;
  for (const row of metrics) of(row.review).metrics.push(row);
  for (const row of organs) of(row.review).organs.push(row);
  return byReview;
}

/** Every loaded review (or the one asked for) with its counts of studies, works, metrics and organs. */
export function listReviews(db: Db, reviewId?: string): ReviewSummary[] {
  const rows = db
    .select()
    .from(reviews)
    .where(reviewId === undefined ? undefined : eq(reviews.id, reviewId))
    .orderBy(asc(reviews.id))
    .all();
  const all = reviewId === undefined ? allTallies(db) : undefined;
  return rows.map((r) => {
    const counts = reviewCounts(db, r.id);
    const { metrics, organs } = all ? (all.get(r.id) ?? { metrics: [], organs: [] }) : reviewTallies(db, r.id);
    return {
      id: r.id,
      title: r.title,
      citation: r.citation,
      accepted: r.accepted,
      authors: r.authors,
      ...counts,
      metrics: tally(metrics),
      organs: tally(organs),
      loaded_at: r.loadedAt,
      data_hash: r.dataHash,
    };
  });
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
