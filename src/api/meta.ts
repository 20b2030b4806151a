import { z } from "@hono/zod-openapi";
import { cachedQuery } from "../cache/query-cache.js";
import type { Db } from "../db/client.js";
import type { StudyFilters } from "../queries/filters.js";
import { contributingReviewIds, listReviewSources } from "../queries/reviews.js";
import { ApiError } from "./problem.js";

/** Names the review(s) an answer comes from and how to cite them; every meta block carries it. */
export const ProvenanceSchema = z
  .array(
    z.object({
      id: z.string().openapi({ example: "dlmia-2024" }),
      title: z.string().openapi({ example: "Deep Learning in Medical Image Analysis Article Review" }),
      citation: z.string().openapi({
        example: "Ibrahim MA, Askar S, Saleem MA, Qadir DA (2024) Deep Learning in Medical Image Analysis Article Review.",
      }),
      accepted: z.string().nullable().openapi({ example: "2024-04-08" }),
    }),
  )
  .openapi("Provenance", { description: "The source review(s) of every figure in this answer, with their citation" });
export type Provenance = z.infer<typeof ProvenanceSchema>;

/** The `review` query parameter shared by every endpoint that reads studies or works. */
export const ReviewParam = z
  .string()
  .min(1)
  .max(100)
  .optional()
  .openapi({ description: "Only data from this review (its id). Default: every loaded review.", example: "dlmia-2024" });

// Every answer asks for its sources, which change only when a review is loaded: read once per
// data version (see cachedQuery), even with LITREVIEW_CACHE=off, because they label an answer
// rather than being one. Reading them per request cost about 0.2 ms, a third of a page's work
// besides its own queries.
const reviewSources = cachedQuery((db: Db, reviewId: string | undefined) => listReviewSources(db, reviewId), {
  maxEntries: 64,
  keepWhenOff: true,
});

/**
 * Provenance for an answer. An unknown `review` id is a bad parameter (400), not an empty answer,
 * so a typo in the id cannot look like "no evidence".
 */
export function provenance(db: Db, reviewId?: string): Provenance {
  const sources = reviewSources(db, reviewId);
  if (reviewId !== undefined && sources.length === 0) {
    const known = reviewSources(db, undefined).map((r) => r.id).join(", ") || "none";
    throw new ApiError(400, `review: no review with id ${JSON.stringify(reviewId)}; loaded reviews: ${known}`, "review");
  }
  return sources;
}

const contributing = cachedQuery(contributingReviewIds, { maxEntries: 256, keepWhenOff: true });

/**
 * Provenance of an answer over studies: only the reviews that contributed a study matching the
 * filters, not every loaded review (an answer about eyes does not cite a review of brains).
 */
export function studiesProvenance(db: Db, filters: StudyFilters): Provenance {
  const sources = provenance(db, filters.review);
  const ids = new Set(contributing(db, filters));
  return sources.filter((s) => ids.has(s.id));
}
