import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../app.js";
import { StudyFiltersSchema } from "../queries/filters.js";
import { cachedTrends } from "../cache/aggregates.js";
import { SERIES } from "../queries/trends.js";
import { ProvenanceSchema, studiesProvenance } from "./meta.js";
import { checkMetric, MetricParam, ScaleSchema } from "./metric.js";
import { problemResponse } from "./problem.js";
import { strictQuery } from "./strict-query.js";

export const TrendsQuerySchema = StudyFiltersSchema.extend({
  series: z.enum(SERIES).default("strategy").openapi({ description: "How each year's count is split", example: "strategy" }),
  metric: MetricParam,
});

const TrendsAnswerSchema = z
  .object({
    meta: z.object({
      count: z.number().int().openapi({ description: "Studies matching the filters", example: 24 }),
      undated: z.number().int().openapi({ description: "Matching studies with no year, left out of the years", example: 0 }),
      series: z.enum(SERIES),
      series_keys: z.array(z.string()).openapi({ example: ["combined", "feature-extraction", "fine-tuning"] }),
      metric: z.string().openapi({ description: "The metric of each year's median", example: "accuracy" }),
      scale: ScaleSchema,
      provenance: ProvenanceSchema,
    }),
    years: z.array(
      z.object({
        year: z.number().int().openapi({ example: 2019 }),
        count: z.number().int().openapi({ description: "Studies published that year", example: 11 }),
        series: z.record(z.string(), z.number().int()).openapi({
          description: "Count per series value (by backbone, a study naming two counts in both)",
          example: { combined: 1, "feature-extraction": 7, "fine-tuning": 3 },
        }),
        median: z.number().nullable().openapi({ description: "Median of meta.metric that year (type-7), on meta.scale", example: 95.3 }),
        median_n: z.number().int().openapi({ description: "Studies that year reporting meta.metric", example: 11 }),
      }),
    ),
    summary: z.string().openapi({ description: "A few plain sentences generated from the numbers" }),
  })
  .openapi("Trends");

const route = createRoute({
  method: "get",
  path: "/v1/trends",
  tags: ["aggregates"],
  summary: "Studies per year, split by strategy, organ or backbone, with the median of a metric and a plain summary",
  middleware: [strictQuery(TrendsQuerySchema)] as const,
  request: { query: TrendsQuerySchema },
  responses: {
    200: { content: { "application/json": { schema: TrendsAnswerSchema } }, description: "Per-year counts and summary" },
    400: problemResponse("A bad or unknown parameter"),
  },
});

export const trendsRoutes = new OpenAPIHono<AppEnv>().openapi(route, (c) => {
  const { series, metric, ...filters } = c.req.valid("query");
  const { scale } = checkMetric(c.var.db, metric);
  const sources = studiesProvenance(c.var.db, filters);
  const t = cachedTrends(c.var.db, { filters, series, metric });
  return c.json(
    {
      meta: { count: t.count, undated: t.undated, series, series_keys: t.series_keys, metric, scale, provenance: sources },
      years: t.years,
      summary: t.summary,
    },
    200,
  );
});
