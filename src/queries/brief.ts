import { z } from "@hono/zod-openapi";
import type { Db } from "../db/client.js";
import { getReference, type Reference, ReferenceSchema } from "./references.js";
import { metricScale } from "./metrics.js";
import { contributingReviewIds, listReviewSources } from "./reviews.js";
import { MetricSummarySchema, summarize } from "./statistics.js";
import { getStats } from "./stats.js";
import { listStudies } from "./studies.js";
import type { StudyFilters } from "./filters.js";
import { recommend } from "./recommendations.js";
import { getTrends } from "./trends.js";
import { toChartStudy } from "../web/charts.js";

const BriefStudySchema = z.object({
  id: z.number().int(),
  organ: z.string(),
  condition: z.string(),
  strategy: z.string().nullable(),
  year: z.number().int().nullable(),
  metric: z.string().openapi({ description: "The metric of value: scope.metric", example: "accuracy" }),
  value: z.number().nullable().openapi({ description: "The study's result for the metric, on scope.scale (a range by its midpoint); null when it reports none", example: 95.3 }),
  valueText: z.string().nullable().openapi({ description: "That result as printed (with the figure on scope.scale first when the print used another scale)", example: "95.3%" }),
  backbones: z.array(z.string()),
});
/** A study as the charts draw it (src/web/charts.ts); one shape for the brief's JSON and the charts. */
export type BriefStudy = z.infer<typeof BriefStudySchema>;

const BriefStrategySchema = z.object({
  strategy: z.string().openapi({ example: "fine-tuning" }),
  count: z.number().int().openapi({ description: "Studies using the strategy", example: 4 }),
  median: z.number().nullable(),
  q1: z.number().nullable(),
  q3: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  latest_year: z.number().int().nullable(),
});

/** Everything one brief says; the JSON form of /v1/brief, and what the Markdown and HTML forms render. */
export const BriefSchema = z
  .object({
    scope: z.object({
      organ: z.string().nullable().openapi({ description: "The organ the brief covers; null for the whole review", example: "lung" }),
      metric: z.string().openapi({ description: "The metric every figure, ranking and chart of the brief is on", example: "accuracy" }),
      scale: z.enum(["percent", "fraction"]).nullable().openapi({ example: "percent" }),
      title: z.string().openapi({ example: "Transfer learning for lung imaging: evidence brief" }),
    }),
    source: z.array(z.object({ id: z.string(), title: z.string(), citation: z.string() })),
    figures: z.object({
      studies: z.number().int(),
      first_year: z.number().int().nullable(),
      last_year: z.number().int().nullable(),
      summary: MetricSummarySchema,
      by_strategy: z.array(z.object({ strategy: z.string(), count: z.number().int() })),
      by_organ: z.array(z.object({ organ: z.string(), count: z.number().int() })),
    }),
    trends: z.array(z.string()).openapi({ description: "The plain-language sentences of /v1/trends" }),
    strategies: z.array(BriefStrategySchema).openapi({ description: "The strategy ranking of /v1/recommendations (or, for the whole review, per-strategy statistics)" }),
    caveats: z.array(z.string()),
    studies: z.array(BriefStudySchema).openapi({ description: "The studies charted, one mark each" }),
    spreads: z.array(
      z.object({ organ: z.string(), strategy: z.string(), n: z.number().int(), median: z.number(), q1: z.number(), q3: z.number() }),
    ),
    references: z.array(ReferenceSchema).openapi({ description: "The works the charted studies cite" }),
  })
  .openapi("Brief");
export type Brief = z.infer<typeof BriefSchema>;

const title = (organ: string | undefined) =>
  organ ? `Transfer learning for ${organ} imaging: evidence brief` : "Transfer learning in medical imaging: evidence brief";

/**
 * One-page summary for an organ or the whole review, composed only from the query functions the
 * API serves (studies, stats, trends, recommendations, references), so the brief never says
 * anything the API would not.
 */
export function getBrief(db: Db, input: { organ?: string; metric?: string }): Brief {
  const filters = input.organ ? { organ: input.organ } : {};
  const metric = input.metric ?? "accuracy";
  const studies = listStudies(db, { filters, sort: "year", limit: 100_000 }).results;
  const years = studies.map((s) => s.year).filter((y): y is number => y !== null);
  const byStrategy = getStats(db, { filters, groupBy: ["strategy"], metric }).groups;
  const byOrgan = getStats(db, { filters, groupBy: ["organ"], metric }).groups;
  const spreads = getStats(db, { filters, groupBy: ["organ", "strategy"], metric }).groups.flatMap((g) => {
    const { median, q1, q3, n } = g.summary;
    if (median === null || q1 === null || q3 === null || g.key.strategy === null) return [];
    return [{ organ: String(g.key.organ), strategy: String(g.key.strategy), n, median, q1, q3 }];
  });
  const { strategies, caveats } = comparison(db, input.organ, metric);

  // Each cited work once, in the order the studies (by year) first cite it.
  const referenceIds = [...new Set(studies.map((s) => s.citation.reference_id).filter((id): id is number => id !== null))];
  const references = referenceIds.map((id) => getReference(db, id)).filter((r): r is Reference => r !== null);

  return {
    scope: { organ: input.organ ?? null, metric, scale: metricScale(db, metric), title: title(input.organ) },
    source: contributingSources(db, filters),
    figures: {
      studies: studies.length,
      first_year: years.length ? Math.min(...years) : null,
      last_year: years.length ? Math.max(...years) : null,
      summary: summarize(studies.map((s) => s.results.find((r) => r.metric === metric)?.value ?? null)),
      by_strategy: byStrategy.map((g) => ({ strategy: g.key_display_name, count: g.count })),
      by_organ: byOrgan.map((g) => ({ organ: g.key_display_name, count: g.count })),
    },
    trends: trendSentences(db, filters, metric),
    strategies,
    caveats,
    studies: studies.map((s) => toChartStudy(s, metric)),
    spreads,
    references,
  };
}

/** /v1/trends gives its summary as one paragraph; the brief lists it a sentence per line. */
function trendSentences(db: Db, filters: StudyFilters, metric: string): string[] {
  const { summary } = getTrends(db, { filters, series: "strategy", metric });
  return summary.split(/(?<=[.!?])\s+(?=[A-Z0-9])/).filter((s) => s.trim());
}

/**
 * The strategy ranking and caveats of /v1/recommendations. recommend() takes an empty domain as
 * the whole review, which the HTTP route refuses only to keep its own contract explicit.
 */
function comparison(db: Db, organ: string | undefined, metric: string): { strategies: Brief["strategies"]; caveats: string[] } {
  const rec = recommend(db, organ ? { organ, metric } : { metric });
  return {
    strategies: rec.strategies.map((o) => ({
      strategy: o.name,
      count: o.n,
      median: o.summary.median,
      q1: o.summary.q1,
      q3: o.summary.q3,
      min: o.summary.min,
      max: o.summary.max,
      latest_year: o.latest_year,
    })),
    caveats: rec.caveats,
  };
}

/** The reviews behind the brief: only those with a study in its scope. */
function contributingSources(db: Db, filters: StudyFilters): Brief["source"] {
  const ids = new Set(contributingReviewIds(db, filters));
  return listReviewSources(db)
    .filter((r) => ids.has(r.id))
    .map(({ id, title, citation }) => ({ id, title, citation }));
}
