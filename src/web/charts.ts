/**
 * What the charts show, shared by the dashboard (drawn in the browser) and the brief (drawn on the
 * server with a jsdom document), so both show the same pictures: the study shape, labels, year
 * span and backbone counts. The Plot marks themselves are in plots.ts.
 */

// No Plot here: the brief's query imports this module for toChartStudy, and loading Plot and d3
// with it would add about 0.3 s to every server start.
// Type-only imports: nothing of the server is bundled into the page.
import type { BriefStudy } from "../queries/brief.js";
import type { Study } from "../queries/study-schema.js";
import { DEFAULT_METRIC, metricName, resultText } from "./metric-text.js";

export type ChartStudy = BriefStudy;

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

/** Median and quartiles of the metric for one organ × strategy group, as /v1/stats reports them. */
export type GroupSpread = { organ: string; strategy: string; n: number; median: number; q1: number; q3: number };

export type Series = "strategy" | "organ";

export const STRATEGIES = ["fine-tuning", "feature-extraction", "combined"] as const;
export const NOT_STATED = "not stated";
export const NOT_NAMED = "not named";

export const seriesValue = (s: ChartStudy, series: Series) => (series === "strategy" ? (s.strategy ?? NOT_STATED) : s.organ);

export function studyLabel(s: ChartStudy): string {
  const backbones = s.backbones.length ? s.backbones.join(", ") : "backbone not named";
  return `${s.condition} (${s.organ}, ${s.year ?? "year not stated"}): ${s.strategy ?? NOT_STATED}, ${backbones}; ${metricName(s.metric)} ${s.valueText ?? "not reported"}`;
}

/** Every year from the first to the last, so a year without studies shows as a gap. */
export function yearSpan(studies: ChartStudy[]): number[] {
  const years = studies.map((s) => s.year).filter((y): y is number => y !== null);
  if (years.length === 0) return [];
  const first = Math.min(...years);
  const last = Math.max(...years);
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

/** Backbone usage: a study naming two backbones counts once for each (as /v1/stats counts them). */
export function backbonePairs(studies: ChartStudy[]) {
  return studies.flatMap((s) => (s.backbones.length ? s.backbones : [NOT_NAMED]).map((backbone) => ({ ...s, backbone })));
}

/** Backbones in order of use, most used first, with "not named" last. */
export function backboneOrder(pairs: { backbone: string }[]): string[] {
  const counts = new Map<string, number>();
  for (const p of pairs) counts.set(p.backbone, (counts.get(p.backbone) ?? 0) + 1);
  return [...counts.keys()].sort((a, b) => {
    if (a === NOT_NAMED || b === NOT_NAMED) return a === NOT_NAMED ? 1 : -1;
    return counts.get(b)! - counts.get(a)! || a.localeCompare(b);
  });
}
