import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../app.js";
import type { Db } from "../db/client.js";
import { StudyFiltersSchema } from "../queries/filters.js";
import { cachedMetrics, cachedStats } from "../cache/aggregates.js";
import { GROUP_KEYS, type GroupKey } from "../queries/group-keys.js";
import { MetricSummarySchema, QUARTILE_METHOD } from "../queries/statistics.js";
import { csvResponse, toCsv } from "./csv.js";
import { provenance, ProvenanceSchema } from "./meta.js";
import { ApiError, problemResponse } from "./problem.js";
import { FormatParam } from "./studies.js";
import { strictQuery } from "./strict-query.js";

const keyList = GROUP_KEYS.join("|");

export const MetricParam = z.string().min(1).max(50).default("accuracy").openapi({
  description: "The reported metric the statistics are over (default accuracy, the only one this review reports)",
  example: "accuracy",
});

export const StatsQuerySchema = StudyFiltersSchema.extend({
  group_by: z
    .string()
    .regex(new RegExp(`^(${keyList})(,(${keyList}))*$`), `a comma-separated list of: ${GROUP_KEYS.join(", ")}`)
    .default("organ")
    .openapi({ description: `One or more of ${GROUP_KEYS.join(", ")}, comma-separated`, example: "organ,strategy" }),
  metric: MetricParam,
  format: FormatParam,
});

export const STATS_NOTE =
  "Studies differ in task, dataset and sample size: these are descriptive statistics of what was reported, not a ranking of methods. A range such as 95.5% to 96.67% enters as its midpoint.";

const StatsAnswerSchema = z
  .object({
    meta: z.object({
      count: z.number().int().openapi({ description: "Distinct studies matching the filters", example: 24 }),
      group_by: z.array(z.enum(GROUP_KEYS)).openapi({ example: ["organ", "strategy"] }),
      metric: z.string().openapi({ example: "accuracy" }),
      quartile_method: z.string(),
      note: z.string(),
      provenance: ProvenanceSchema,
    }),
    groups: z.array(
      z.object({
        key: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).openapi({ example: { organ: "brain", strategy: "fine-tuning" } }),
        key_display_name: z.string().openapi({ example: "brain · fine-tuning" }),
        count: z.number().int().openapi({ description: "Studies in the group (a study with two backbones counts in both)", example: 4 }),
        accuracy: MetricSummarySchema,
      }),
    ),
  })
  .openapi("Stats");
export type StatsAnswer = z.infer<typeof StatsAnswerSchema>;

const route = createRoute({
  method: "get",
  path: "/v1/stats",
  tags: ["aggregates"],
  summary: "Counts, medians and quartiles of a metric per group of studies",
  description: STATS_NOTE,
  middleware: [strictQuery(StatsQuerySchema)] as const,
  request: { query: StatsQuerySchema },
  responses: {
    200: {
      content: { "application/json": { schema: StatsAnswerSchema }, "text/csv": { schema: z.string() } },
      description: "One entry per group",
    },
    400: problemResponse("A bad or unknown parameter"),
  },
});

/** Splits and de-duplicates a validated group_by list, keeping the order asked for. */
export const parseGroupBy = (s: string) => [...new Set(s.split(","))] as GroupKey[];

/** A metric not in the data is a 400 naming the ones there are, not an empty answer. */
export function checkMetric(db: Db, metric: string): string {
  const known = cachedMetrics(db, null);
  if (!known.includes(metric)) {
    throw new ApiError(400, `metric: ${JSON.stringify(metric)} is not reported by any study; known metrics: ${known.join(", ") || "none"}`, "metric");
  }
  return metric;
}

export const statsRoutes = new OpenAPIHono<AppEnv>().openapi(route, (c) => {
  const { group_by, metric, format, ...filters } = c.req.valid("query");
  const groupBy = parseGroupBy(group_by);
  const sources = provenance(c.var.db, filters.review);
  const stats = cachedStats(c.var.db, { filters, groupBy, metric });
  // A group with values of the metric proves it is reported; only an answer without any (an
  // unknown metric, or filters that match no value of it) needs the check, which without the
  // caches is a scan of every result, slower than the aggregate itself.
  if (!stats.groups.some((g) => g.accuracy.n > 0)) checkMetric(c.var.db, metric);
  if (format === "csv") {
    const header = [...groupBy, "key_display_name", "count", "n", "n_missing", "mean", "median", "q1", "q3", "min", "max"];
    const rows = stats.groups.map((g) => {
      const a = g.accuracy;
      return [...groupBy.map((k) => g.key[k]), g.key_display_name, g.count, a.n, a.n_missing, a.mean, a.median, a.q1, a.q3, a.min, a.max];
    });
    return csvResponse(c, `stats-${groupBy.join("-")}-${metric}.csv`, toCsv(header, rows));
  }
  return c.json(
    {
      meta: { count: stats.count, group_by: groupBy, metric, quartile_method: QUARTILE_METHOD, note: STATS_NOTE, provenance: sources },
      groups: stats.groups,
    },
    200,
  );
});
