import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../app.js";
import { getHealth } from "../queries/health.js";

export const HealthSchema = z
  .object({
    status: z.enum(["ok", "degraded"]).openapi({
      description: "degraded: a review folder failed to load at the last start; the others are served (a review loaded before keeps its last good data)",
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
  })
  .openapi("Health");

const route = createRoute({
  method: "get",
  path: "/health",
  tags: ["meta"],
  summary: "Liveness and the counts of what is loaded",
  responses: { 200: { content: { "application/json": { schema: HealthSchema } }, description: "Loaded counts" } },
});

export const healthRoutes = new OpenAPIHono<AppEnv>().openapi(route, (c) => c.json(getHealth(c.var.db), 200));
