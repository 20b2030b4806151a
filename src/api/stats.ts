import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../app.js";
import { StudyFiltersSchema } from "../queries/filters.js";
import { cachedStats } from "../cache/aggregates.js";
import { GROUP_KEYS, type GroupKey } from "../queries/group-keys.js";
import { MetricSummarySchema, QUARTILE_METHOD } from "../queries/statistics.js";
import { csvResponse, toCsv } from "./csv.js";
import { ProvenanceSchema, studiesProvenance } from "./meta.js";
import { checkMetric, MetricParam, ScaleSchema } from "./metric.js";
import { problemResponse } from "./problem.js";
import { FormatParam } from "./studies.js";
import { strictQuery } from "./strict-query.js";

const keyList = GROUP_KEYS.join("|");

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
      scale: ScaleSchema,
      quartile_method: z.string(),
      note: z.string(),
      provenance: ProvenanceSchema,
    }),
    groups: z.array(
      z.object({
        key: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).openapi({ example: { organ: "brain", strategy: "fine-tuning" } }),
        key_display_name: z.string().openapi({ example: "brain · fine-tuning" }),
        count: z.number().int().openapi({ description: "Studies in the group (a study with two backbones counts in both)", example: 4 }),
        summary: MetricSummarySchema.openapi({ description: "The figures of meta.metric over the group, on meta.scale" }),
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

export const statsRoutes = new OpenAPIHono<AppEnv>().openapi(route, (c) => {
  const { group_by, metric, format, ...filters } = c.req.valid("query");
  const groupBy = parseGroupBy(group_by);
  const { scale } = checkMetric(c.var.db, metric);
  const sources = studiesProvenance(c.var.db, filters);
  const stats = cachedStats(c.var.db, { filters, groupBy, metric });
  if (format === "csv") {
    const header = [...groupBy, "key_display_name", "count", "n", "n_missing", "mean", "median", "q1", "q3", "min", "max"];
    const rows = stats.groups.map((g) => {
      const a = g.summary;
      return [...groupBy.map((k) => g.key[k]), g.key_display_name, g.count, a.n, a.n_missing, a.mean, a.median, a.q1, a.q3, a.min, a.max];
    });
    return csvResponse(c, `stats-${groupBy.join("-")}-${metric}.csv`, toCsv(header, rows));
  }
  return c.json(
    {
      meta: { count: stats.count, group_by: groupBy, metric, scale, quartile_method: QUARTILE_METHOD, note: STATS_NOTE, provenance: sources },
      groups: stats.groups,
    },
    200,
  );
});
