import { eq } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { reviews } from "../db/schema.js";

export type ReviewSource = { id: string; title: string; citation: string; accepted: string | null };

/** The reviews an answer draws on: the one asked for, or every loaded review. */
export function listReviewSources(db: Db, reviewId?: string): ReviewSource[] {
  const q = db
    .select({ id: reviews.id, title: reviews.title, citation: reviews.citation, accepted: reviews.accepted })
    .from(reviews);
  return (reviewId === undefined ? q : q.where(eq(reviews.id, reviewId))).orderBy(reviews.id).all();
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
