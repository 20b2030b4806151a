/**
 * What the charts show, shared by the dashboard (drawn in the browser) and the brief (drawn on the
 * server with a jsdom document), so both show the same pictures: the study shape, the aggregate
 * shapes read from /v1/stats, labels, year span and backbone counts. The Plot marks themselves
 * are in plots.ts.
 */

// No Plot here: the brief's query imports this module for toChartStudy, and loading Plot and d3
// with it would add about 0.3 s to every server start.
// Type-only imports: nothing of the server is bundled into the page.
import type { BriefGroupBox, BriefStudy, BriefYearCount } from "../queries/brief.js";
import type { Study } from "../queries/study-schema.js";
import { DEFAULT_METRIC, metricName, resultText } from "./metric-text.js";

export type ChartStudy = BriefStudy;
/** Studies of one publication year and one series value (a strategy or an organ). */
export type YearCount = BriefYearCount;
/** One organ × strategy group's distribution of the metric, with its true study counts. */
export type GroupBox = BriefGroupBox;
/** Studies naming a backbone, per strategy (a study naming two backbones counts for each). */
export type BackboneCount = { backbone: string; strategy: string; count: number };

/**
 * Up to this many studies in view, the charts draw one mark per study (a reader can count them and
 * hover one); above it, the marks are drawn from the aggregates alone, so no view ever downloads
 * its studies to draw a chart. One page of /v1/studies holds this many.
 */
export const DOTS_MAX = 500;

/**
 * The part of an API Study the charts read: its result for one metric (accuracy by default; a
 * range by its midpoint), null when it reports none.
 */
export function toChartStudy(s: Study, metric = DEFAULT_METRIC): ChartStudy {
  const result = s.results.find((r) => r.metric === metric);
  return {
    id: s.id,
    organ: s.organ,
    condition: s.condition,
    strategy: s.strategy,
    year: s.year,
    metric,
    value: result?.value ?? null,
    valueText: resultText(result),
    backbones: s.backbones,
  };
}

export type Series = "strategy" | "organ";

export const STRATEGIES = ["fine-tuning", "feature-extraction", "combined"] as const;
export const NOT_STATED = "not stated";
export const NOT_NAMED = "not named";
/** The strategy of a group that pools every strategy (the brief's per-organ value chart). */
export const ALL_STRATEGIES = "all strategies";

export const seriesValue = (s: { strategy: string | null; organ: string }, series: Series) =>
  series === "strategy" ? (s.strategy ?? NOT_STATED) : s.organ;

export function studyLabel(s: ChartStudy): string {
  const backbones = s.backbones.length ? s.backbones.join(", ") : "backbone not named";
  return `${s.condition} (${s.organ}, ${s.year ?? "year not stated"}): ${s.strategy ?? NOT_STATED}, ${backbones}; ${metricName(s.metric)} ${s.valueText ?? "not reported"}`;
}

/** Every year from the first to the last, so a year without studies shows as a gap. */
export function yearSpan(rows: { year: number | null }[]): number[] {
  const years = rows.map((s) => s.year).filter((y): y is number => y !== null);
  if (years.length === 0) return [];
  let first = years[0]!;
  let last = first;
  for (const y of years) {
    if (y < first) first = y;
    if (y > last) last = y;
  }
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

/** Backbone usage: a study naming two backbones counts once for each (as /v1/stats counts them). */
export function backbonePairs(studies: ChartStudy[]) {
  return studies.flatMap((s) => (s.backbones.length ? s.backbones : [NOT_NAMED]).map((backbone) => ({ ...s, backbone })));
}

/** Backbones in order of use, most used first, with "not named" last. */
export function backboneOrder(rows: { backbone: string; count?: number }[]): string[] {
  const counts = new Map<string, number>();
  for (const p of rows) counts.set(p.backbone, (counts.get(p.backbone) ?? 0) + (p.count ?? 1));
  return [...counts.keys()].sort((a, b) => {
    if (a === NOT_NAMED || b === NOT_NAMED) return a === NOT_NAMED ? 1 : -1;
    return counts.get(b)! - counts.get(a)! || a.localeCompare(b);
  });
}

/** A group as /v1/stats answers it (the API's own answer and getStats share this shape). */
type StatsGroupLike = {
  key: Record<string, string | number | null>;
  count: number;
  summary: { n: number; median: number | null; q1: number | null; q3: number | null; min: number | null; max: number | null };
};

const text = (v: string | number | null | undefined, missing: string) => (v === null || v === undefined ? missing : String(v));

/** /v1/stats?group_by=year,<series> as chart rows; studies without a year are not placed on the axis. */
export function toYearCounts(groups: StatsGroupLike[], series: Series): YearCount[] {
  return groups.flatMap((g) =>
    typeof g.key.year === "number" ? [{ year: g.key.year, series: text(g.key[series], series === "strategy" ? NOT_STATED : "no organ"), count: g.count }] : [],
  );
}

/** /v1/stats?group_by=organ,strategy as the value chart's boxes. */
export function toGroupBoxes(groups: StatsGroupLike[]): GroupBox[] {
  return groups.map((g) => {
    const { n, median, q1, q3, min, max } = g.summary;
    return { organ: text(g.key.organ, "no organ"), strategy: text(g.key.strategy, NOT_STATED), count: g.count, n, median, q1, q3, min, max };
  });
}

/** /v1/stats?group_by=backbone,strategy as the backbone chart's bars. */
export function toBackboneCounts(groups: StatsGroupLike[]): BackboneCount[] {
  return groups.map((g) => ({ backbone: text(g.key.backbone, NOT_NAMED), strategy: text(g.key.strategy, NOT_STATED), count: g.count }));
}
