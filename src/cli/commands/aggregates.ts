import { studiesProvenance } from "../../api/meta.js";
import { checkMetric } from "../../api/metric.js";
import { RecommendationsQuerySchema } from "../../api/recommendations.js";
import { parseGroupBy, STATS_NOTE, StatsQuerySchema } from "../../api/stats.js";
import { TrendsQuerySchema } from "../../api/trends.js";
import { type RankedOption, recommend } from "../../queries/recommendations.js";
import { getStats, type StatsGroup } from "../../queries/stats.js";
import type { MetricSummary } from "../../queries/statistics.js";
import { getTrends, type TrendYear } from "../../queries/trends.js";
import { defineCommand, UsageError } from "../command.js";
import { type Column, renderTable } from "../table.js";
import { printFromApi } from "../via-api.js";

const fixed = (x: number | null) => (x === null ? null : x.toFixed(2));

const summaryColumns = <T>(pick: (row: T) => MetricSummary): Column<T>[] => [
  { header: "n", value: (r) => pick(r).n, align: "right" },
  { header: "median", value: (r) => fixed(pick(r).median), align: "right" },
  { header: "q1", value: (r) => fixed(pick(r).q1), align: "right" },
  { header: "q3", value: (r) => fixed(pick(r).q3), align: "right" },
  { header: "min", value: (r) => fixed(pick(r).min), align: "right" },
  { header: "max", value: (r) => fixed(pick(r).max), align: "right" },
];

export const statsCommand = defineCommand({
  name: "stats",
  summary: "Counts, medians and quartiles of a metric (--metric, default accuracy) per group (--group-by organ,strategy,...)",
  example: "litreview stats --group-by organ,strategy",
  schema: StatsQuerySchema,
  run(ctx, { group_by, metric, format, ...filters }) {
    if (format === "csv") return printFromApi(ctx, "/v1/stats");
    const groupBy = parseGroupBy(group_by);
    const { scale } = checkMetric(ctx.db, metric);
    const sources = studiesProvenance(ctx.db, filters);
    const stats = getStats(ctx.db, { filters, groupBy, metric });
    if (ctx.json) {
      return ctx.out(JSON.stringify({ meta: { count: stats.count, group_by: groupBy, metric, scale, provenance: sources }, groups: stats.groups }, null, 2));
    }
    ctx.out(
      renderTable<StatsGroup>(
        [
          ...groupBy.map((k): Column<StatsGroup> => ({ header: k, value: (g) => g.key[k] ?? null, max: 36 })),
          { header: "studies", value: (g) => g.count, align: "right" },
          ...summaryColumns<StatsGroup>((g) => g.summary),
        ],
        stats.groups,
      ),
    );
    ctx.err(`${stats.count} studies; ${metric}${scale ? ` on the ${scale} scale` : ""}. ${STATS_NOTE}`);
  },
});

export const trendsCommand = defineCommand({
  name: "trends",
  summary: "Studies per year split by strategy, organ or backbone, with the median of a metric and a summary",
  example: "litreview trends --series organ",
  schema: TrendsQuerySchema,
  run(ctx, { series, metric, ...filters }) {
    const { scale } = checkMetric(ctx.db, metric);
    const sources = studiesProvenance(ctx.db, filters);
    const t = getTrends(ctx.db, { filters, series, metric });
    if (ctx.json) return ctx.out(JSON.stringify({ meta: { count: t.count, undated: t.undated, series, metric, scale, provenance: sources }, ...t }, null, 2));
    ctx.out(
      renderTable<TrendYear>(
        [
          { header: "year", value: (y) => y.year },
          { header: "studies", value: (y) => y.count, align: "right" },
          ...t.series_keys.map((k): Column<TrendYear> => ({ header: k, value: (y) => y.series[k] ?? 0, align: "right" })),
          { header: `median ${metric}`, value: (y) => fixed(y.median), align: "right" },
        ],
        t.years,
      ),
    );
    ctx.out(`\n${t.summary}`);
  },
});

export const recommendCommand = defineCommand({
  name: "recommend",
  summary: "Strategies and backbones ranked for an organ or condition, with caveats",
  example: "litreview recommend --organ lung",
  schema: RecommendationsQuerySchema,
  run(ctx, domain) {
    if (domain.organ === undefined && domain.condition === undefined) {
      throw new UsageError("give --organ or --condition (e.g. --organ brain)");
    }
    const { scale } = checkMetric(ctx.db, domain.metric);
    const sources = studiesProvenance(ctx.db, { organ: domain.organ, condition: domain.condition, review: domain.review });
    const r = recommend(ctx.db, domain);
    if (ctx.json) return ctx.out(JSON.stringify({ meta: { domain, count: r.count, metric: domain.metric, scale, provenance: sources }, ...r }, null, 2));
    const ranking = (options: RankedOption[]) =>
      options.length === 0
        ? "(none)"
        : renderTable<RankedOption>(
            [
              { header: "rank", value: (o) => o.rank, align: "right" },
              { header: "name", value: (o) => o.name },
              ...summaryColumns<RankedOption>((o) => o.summary),
              { header: "latest", value: (o) => o.latest_year, align: "right" },
              { header: "studies", value: (o) => o.study_ids.join(",") },
            ],
            options,
          );
    ctx.out(
      [
        `${r.count} ${r.count === 1 ? "study" : "studies"} in the domain.`,
        ...r.caveats.map((c) => `! ${c}`),
        "",
        "Strategies",
        ranking(r.strategies),
        "",
        "Backbones",
        ranking(r.backbones),
      ].join("\n"),
    );
  },
});
