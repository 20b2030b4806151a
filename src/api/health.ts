import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../app.js";
import { getHealth } from "../queries/health.js";

export const HealthSchema = z
  .object({
    status: z.literal("ok"),
    reviews: z.number().int().openapi({ example: 1 }),
    studies: z.number().int().openapi({ example: 24 }),
    works: z.number().int().openapi({ example: 53 }),
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
