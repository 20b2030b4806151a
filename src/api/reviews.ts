import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../app.js";
import { cachedQuery } from "../cache/query-cache.js";
import { listReviews } from "../queries/reviews.js";
import { ApiError, problemResponse } from "./problem.js";
import { strictQuery } from "./strict-query.js";

const ReviewSchema = z
  .object({
    id: z.string().openapi({ example: "dlmia-2024" }),
    title: z.string().openapi({ example: "Deep Learning in Medical Image Analysis Article Review" }),
    citation: z.string(),
    accepted: z.string().nullable().openapi({ example: "2024-04-08" }),
    authors: z.array(z.string()),
    studies: z.number().int().openapi({ example: 24 }),
    works: z.number().int().openapi({ description: "Works the review cites (a work two reviews cite counts in both)", example: 53 }),
    metrics: z.record(z.string(), z.number().int()).openapi({ description: "Results per metric", example: { accuracy: 23 } }),
    organs: z.record(z.string(), z.number().int()).openapi({ description: "Studies per organ", example: { brain: 8, breast: 6 } }),
    loaded_at: z.string().openapi({ description: "When this version of the review was loaded (ISO 8601)" }),
    data_hash: z.string().openapi({ description: "SHA-256 of the review folder's files and the loader version: which data is served" }),
  })
  .openapi("Review");

// Per review: counts read with the review's own index ranges; once per data version.
const reviewsOf = cachedQuery(listReviews, { maxEntries: 128 });

const list = createRoute({
  method: "get",
  path: "/v1/reviews",
  tags: ["reviews"],
  summary: "The loaded reviews, with what each holds",
  middleware: [strictQuery(z.object({}))] as const,
  responses: { 200: { content: { "application/json": { schema: z.object({ results: z.array(ReviewSchema) }) } }, description: "Every loaded review" } },
});

const IdParam = z.object({ id: z.string().min(1).max(100).openapi({ param: { name: "id", in: "path" }, example: "dlmia-2024" }) });

const one = createRoute({
  method: "get",
  path: "/v1/reviews/{id}",
  tags: ["reviews"],
  summary: "One loaded review",
  middleware: [strictQuery(z.object({}))] as const,
  request: { params: IdParam },
  responses: {
    200: { content: { "application/json": { schema: z.object({ result: ReviewSchema }) } }, description: "The review" },
    404: problemResponse("No review with that id"),
  },
});

export const reviewRoutes = new OpenAPIHono<AppEnv>()
  .openapi(list, (c) => c.json({ results: reviewsOf(c.var.db, undefined) }, 200))
  .openapi(one, (c) => {
    const { id } = c.req.valid("param");
    const [result] = reviewsOf(c.var.db, id);
    if (!result) throw new ApiError(404, `No review with id ${JSON.stringify(id)}`, "id");
    return c.json({ result }, 200);
  });
