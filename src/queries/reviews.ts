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
