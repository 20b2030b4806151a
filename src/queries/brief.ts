import { z } from "@hono/zod-openapi";
import { and, eq, sql } from "drizzle-orm";
import { distinctWorks } from "../columns/cited-works.js";
import { builtColumns, columnsFor } from "../columns/registry.js";
import { selectEntries } from "../columns/select.js";
import type { Db } from "../db/client.js";
import { citationLinks, studies as studiesTable } from "../db/schema.js";
import { getReference, type Reference, ReferenceSchema } from "./references.js";
import { metricScale } from "./metrics.js";
import { contributingReviewIds, listReviewSources } from "./reviews.js";
import { MetricSummarySchema, summarize } from "./statistics.js";
import { groupFigures } from "./group-stats.js";
import { getStats, shapeStats } from "./stats.js";
import { pageOfStudies } from "./studies.js";
import { accuracy, accuracyJoin, filtersUseAccuracy, studyConditions, type StudyFilters } from "./filters.js";
import { recommend } from "./recommendations.js";
import { getTrends } from "./trends.js";
import { ALL_STRATEGIES, DOTS_MAX, NOT_STATED, toChartStudy, toGroupBoxes, toYearCounts } from "../web/charts.js";

/** The works a brief lists by name; the rest are counted and left to the export it links. */
export const BRIEF_REFERENCES_MAX = 15;

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

const BriefYearCountSchema = z.object({
  year: z.number().int().openapi({ example: 2019 }),
  series: z.string().openapi({ description: `The transfer strategy ("${NOT_STATED}" when the study states none)`, example: "fine-tuning" }),
  count: z.number().int().openapi({ description: "Studies of that year and strategy", example: 3 }),
});
/** One stack of the years chart: /v1/stats?group_by=year,strategy. */
export type BriefYearCount = z.infer<typeof BriefYearCountSchema>;

const BriefGroupBoxSchema = z.object({
  organ: z.string().openapi({ example: "lung" }),
  strategy: z.string().openapi({ description: `The transfer strategy ("${NOT_STATED}" when the studies state none)`, example: "fine-tuning" }),
  count: z.number().int().openapi({ description: "Studies in the group", example: 3 }),
  n: z.number().int().openapi({ description: "Studies in the group that report the metric", example: 3 }),
  median: z.number().nullable(),
  q1: z.number().nullable(),
  q3: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
});
/** One row of the value chart: /v1/stats?group_by=organ,strategy. */
export type BriefGroupBox = z.infer<typeof BriefGroupBoxSchema>;

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
    studies: z.array(BriefStudySchema).max(DOTS_MAX).openapi({
      description: `Every study of the scope, one mark each in the charts, when it holds at most ${DOTS_MAX} (figures.studies); empty above that, when the charts are drawn from per_year and spreads alone`,
    }),
    per_year: z.array(BriefYearCountSchema).openapi({ description: "Studies per publication year and strategy (as /v1/stats?group_by=year,strategy): the years chart" }),
    spreads: z.array(BriefGroupBoxSchema).openapi({
      description: "Per organ and strategy (as /v1/stats?group_by=organ,strategy): counts, quartiles, lowest and highest value of the metric; the value chart",
    }),
    organ_spreads: z.array(BriefGroupBoxSchema).openapi({
      description: `Per organ, every strategy together (as /v1/stats?group_by=organ; strategy "${ALL_STRATEGIES}"): the value chart when the brief covers more organs than one page holds rows for`,
    }),
    references: z.array(ReferenceSchema).max(BRIEF_REFERENCES_MAX).openapi({
      description: `At most ${BRIEF_REFERENCES_MAX} of the works the scope's studies cite: those behind its highest reported accuracies (for another metric, its most recent studies)`,
    }),
    reference_count: z.number().int().openapi({ description: "Distinct works the scope's studies cite (references lists the first of them)", example: 24 }),
    reference_export: z
      .object({
        bibtex: z.string().openapi({ example: "/v1/studies/references?organ=brain&format=bibtex" }),
        ris: z.string().openapi({ example: "/v1/studies/references?organ=brain&format=ris" }),
      })
      .openapi({
        description:
          "Downloads of every work the scope's studies cite (the reference_count works), from /v1/studies/references with the brief's filters",
      }),
  })
  .openapi("Brief");
export type Brief = z.infer<typeof BriefSchema>;

const title = (organ: string | undefined) =>
  organ ? `Transfer learning for ${organ} imaging: evidence brief` : "Transfer learning in medical imaging: evidence brief";

/** What the charts are drawn from: a part of the brief, complete before the rest is read. */
export type BriefChartData = Pick<Brief, "scope" | "studies" | "per_year" | "spreads" | "organ_spreads"> & {
  figures: Pick<Brief["figures"], "studies" | "summary">;
};

/**
 * Told each part of a brief as soon as it is read, before the rest: the HTML route hands them to
 * the render worker, which formats the references and draws the charts while this thread reads
 * the trends, the strategy comparison and the provenance (decision 0009, round 2).
 */
export type BriefParts = { references?: (references: Reference[]) => void; charts?: (data: BriefChartData) => void };

/**
 * One-page summary for an organ or the whole review, composed only from the query functions the
 * API serves (stats, trends, recommendations, studies, references), so the brief never says
 * anything the API would not. Every part is an aggregate or a bounded list, whatever the size of
 * the base: the studies only up to DOTS_MAX, the references up to BRIEF_REFERENCES_MAX.
 */
export function getBrief(db: Db, input: { organ?: string; metric?: string }, parts: BriefParts = {}): Brief {
  const filters: StudyFilters = input.organ ? { organ: input.organ } : {};
  const metric = input.metric ?? "accuracy";
  const stats = (groupBy: Parameters<typeof getStats>[1]["groupBy"]) => getStats(db, { filters, groupBy, metric });
  // The years chart and the strategy counts need no figures of the metric: counts alone, ordered
  // and keyed as getStats gives them (at 1M the year x strategy quartiles took 60-250 ms, idle machine to loaded).
  const counts = (groupBy: Parameters<typeof getStats>[1]["groupBy"]) =>
    shapeStats(groupBy, 0, groupFigures(db, { filters, groupBy, metric, withFigures: false })).groups;
  const byOrgan = stats(["organ"]);
  const count = byOrgan.count;
  // The parts that take longest to render first (the references' formatting, then the charts).
  const references = leadingReferences(db, filters, metric, count);
  parts.references?.(references);
  const listed = count <= DOTS_MAX ? pageOfStudies(db, { filters, sort: "year", limit: DOTS_MAX }, () => count).results : [];
  const chartData: BriefChartData = {
    scope: { organ: input.organ ?? null, metric, scale: metricScale(db, metric), title: title(input.organ) },
    figures: { studies: count, summary: stats([]).groups[0]?.summary ?? summarize([]) },
    studies: listed.map((s) => toChartStudy(s, metric)),
    per_year: toYearCounts(counts(["year", "strategy"]), "strategy"),
    spreads: toGroupBoxes(stats(["organ", "strategy"]).groups),
    organ_spreads: toGroupBoxes(byOrgan.groups.map((g) => ({ ...g, key: { organ: g.key.organ ?? null, strategy: ALL_STRATEGIES } }))),
  };
  parts.charts?.(chartData);
  const years = chartData.per_year.map((y) => y.year);
  const { strategies, caveats } = comparison(db, input.organ, metric);
  const source = contributingSources(db, filters);

  return {
    scope: chartData.scope,
    source,
    figures: {
      studies: count,
      first_year: years.length ? Math.min(...years) : null,
      last_year: years.length ? Math.max(...years) : null,
      summary: chartData.figures.summary,
      by_strategy: counts(["strategy"]).map((g) => ({ strategy: g.key_display_name, count: g.count })),
      by_organ: byOrgan.groups.map((g) => ({ organ: g.key_display_name, count: g.count })),
    },
    trends: trendSentences(db, filters, metric),
    strategies,
    caveats,
    studies: chartData.studies,
    per_year: chartData.per_year,
    spreads: chartData.spreads,
    organ_spreads: chartData.organ_spreads,
    references,
    reference_count: citedWorkCount(db, filters),
    reference_export: exportLinks(filters),
  };
}

/**
 * The works behind the scope's highest reported accuracies (for another metric, behind its most
 * recent studies), each once, at most BRIEF_REFERENCES_MAX: one keyset page of studies, never a
 * list of the whole scope. A page of a few times the bound leaves room for studies citing the
 * same work, or none.
 */
function leadingReferences(db: Db, filters: StudyFilters, metric: string, count: number): Reference[] {
  const sort = metric === "accuracy" ? "-accuracy" : "-year";
  const page = pageOfStudies(db, { filters, sort, limit: BRIEF_REFERENCES_MAX * 4 }, () => count).results;
  const ids = [...new Set(page.map((s) => s.citation.reference_id).filter((id): id is number => id !== null))];
  return ids
    .slice(0, BRIEF_REFERENCES_MAX)
    .map((id) => getReference(db, id))
    .filter((r): r is Reference => r !== null);
}

/**
 * How many distinct works the scope's studies cite: from the column store's work column when it
 * is built (or the scope is filtered, when the stats above have built it), else one aggregate.
 */
function citedWorkCount(db: Db, filters: StudyFilters): number {
  const where = studyConditions(filters);
  const store = where.length === 0 ? builtColumns(db) : columnsFor(db);
  if (store) return distinctWorks(store, selectEntries(db, store, filters));
  const works = sql<number>`count(distinct ${citationLinks.workId})`;
  // Every link belongs to a study: without a filter the links alone answer (their work index).
  if (where.length === 0) return db.select({ n: works }).from(citationLinks).get()?.n ?? 0;
  const base = db.select({ n: works }).from(studiesTable).innerJoin(citationLinks, eq(citationLinks.studyId, studiesTable.id)).$dynamic();
  return (filtersUseAccuracy(filters) ? base.innerJoin(accuracy, accuracyJoin) : base).where(and(...where)).get()?.n ?? 0;
}

/** The export of exactly the works the scope's studies cite: the brief's own filters on /v1/studies/references. */
function exportLinks(filters: StudyFilters): Brief["reference_export"] {
  const scope = Object.entries(filters).flatMap(([k, v]): [string, string][] => (v === undefined ? [] : [[k, String(v)]]));
  const link = (format: string) => `/v1/studies/references?${new URLSearchParams([...scope, ["format", format]]).toString()}`;
  return { bibtex: link("bibtex"), ris: link("ris") };
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
