import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../app.js";
import { fileProblem } from "../db/file-identity.js";
import { getHealth } from "../queries/health.js";

export const HealthSchema = z
  .object({
    status: z.enum(["ok", "degraded", "stale"]).openapi({
      description:
        "degraded: a review folder failed to load at the last start; the others are served (a review loaded before keeps its last good data). stale (with a 503): the database file was deleted or replaced while the server ran; restart it",
      example: "ok",
    }),
    reviews: z.number().int().openapi({ example: 1 }),
    studies: z.number().int().openapi({ example: 24 }),
    works: z.number().int().openapi({ example: 53 }),
    failures: z
      .array(
        z.object({
          review: z.string().nullable().openapi({ description: "The review's id, when its review.json could be read", example: "my-review" }),
          dir: z.string(),
          problems: z.array(z.string()).openapi({ example: ["studies.tsv: line 4: year not an integer: 20x9"] }),
          failed_at: z.string(),
        }),
      )
      .openapi({ description: "Every review folder that failed to load, with every problem found" }),
    database: z.string().optional().openapi({ description: "Only when stale: what happened to the database file" }),
  })
  .openapi("Health");

const route = createRoute({
  method: "get",
  path: "/health",
  tags: ["meta"],
  summary: "Liveness and the counts of what is loaded",
  responses: {
    200: { content: { "application/json": { schema: HealthSchema } }, description: "Loaded counts" },
    503: { content: { "application/json": { schema: HealthSchema } }, description: "The database file was deleted or replaced under the server" },
  },
});

export const healthRoutes = new OpenAPIHono<AppEnv>().openapi(route, (c) => {
  const health = getHealth(c.var.db);
  const gone = fileProblem(c.var.db);
  return gone ? c.json({ ...health, status: "stale" as const, database: gone }, 503) : c.json(health, 200);
});
