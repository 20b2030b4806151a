import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../app.js";
import { cachedMetrics } from "../cache/aggregates.js";
import type { Db } from "../db/client.js";
import { SCALES, type Scale } from "../ingest/review-files.js";
import { metricReported, metricScale } from "../queries/metrics.js";
import { ApiError } from "./problem.js";
import { strictQuery } from "./strict-query.js";

/** The `metric` parameter of every aggregate: statistics are over one metric, never a pool of several. */
export const MetricParam = z.string().min(1).max(50).default("accuracy").openapi({
  description: "The reported metric the figures are over (default accuracy); /v1/metrics lists those present. A study without a result for it counts in n_missing.",
  example: "accuracy",
});

export const ScaleSchema = z.enum(SCALES).nullable().openapi({
  description: "The scale of every figure of the metric: percent (0-100) or fraction (0-1); null for a metric with no known range",
  example: "percent",
});

/**
 * A metric not in the data is a 400 naming the ones there are, not an empty answer; else its
 * scale. Two index probes per request; the whole list is read only to word the 400.
 */
export function checkMetric(db: Db, metric: string): { metric: string; scale: Scale | null } {
  if (!metricReported(db, metric)) {
    const names = cachedMetrics(db, null).map((m) => m.metric).join(", ") || "none";
    throw new ApiError(400, `metric: ${JSON.stringify(metric)} is not reported by any study; known metrics: ${names}`, "metric");
  }
  return { metric, scale: metricScale(db, metric) };
}

const MetricsAnswerSchema = z
  .object({
    results: z.array(
      z.object({
        metric: z.string().openapi({ example: "auc" }),
        scale: ScaleSchema,
        results: z.number().int().openapi({ description: "Reported results of this metric", example: 3 }),
        valued: z.number().int().openapi({ description: "Those with a number (the rest were printed as n/a or empty)", example: 3 }),
      }),
    ),
  })
  .openapi("Metrics");

const route = createRoute({
  method: "get",
  path: "/v1/metrics",
  tags: ["aggregates"],
  summary: "The metrics the studies report, with their scale and counts",
  middleware: [strictQuery(z.object({}))] as const,
  responses: { 200: { content: { "application/json": { schema: MetricsAnswerSchema } }, description: "One entry per metric" } },
});

export const metricRoutes = new OpenAPIHono<AppEnv>().openapi(route, (c) => c.json({ results: cachedMetrics(c.var.db, null) }, 200));
