import type { Db } from "../db/client.js";
import type { StudyFilters } from "./filters.js";
import { groupFigures, medianBetweenYears } from "./group-stats.js";
import { metricScale } from "./metrics.js";
import { trendSummary } from "./trend-summary.js";

export const SERIES = ["strategy", "organ", "backbone"] as const;
export type Series = (typeof SERIES)[number];

/** A missing series value gets a readable key, so a chart legend never shows "null". */
export const UNSTATED: Record<Series, string> = {
  strategy: "not stated",
  organ: "not stated",
  backbone: "no backbone named",
};

export type TrendYear = {
  year: number;
  count: number;
  series: Record<string, number>;
  median: number | null;
  median_n: number;
};
export type Trends = { count: number; undated: number; series_keys: string[]; years: TrendYear[]; summary: string };

/**
 * Studies per year split by a series, with the median of a metric (accuracy by default) each year. Years between the
 * first and the last with no study appear with a count of 0, so a chart's axis has no holes.
 */
export function getTrends(db: Db, input: { filters: StudyFilters; series: Series; metric?: string }): Trends {
  const { filters, series } = input;
  const metric = input.metric ?? "accuracy";
  // Aggregated in SQL (see group-stats.ts): per year for studies and medians, per year and series
  // value for the mix (counted per row: a study with two backbones adds one to each).
  const perYear = groupFigures(db, { filters, groupBy: ["year"], metric });
  const perSeries = groupFigures(db, { filters, groupBy: ["year", series], metric, withFigures: false });
  const seriesKey = (key: string | number | null | undefined) => String(key ?? UNSTATED[series]);
  const seriesKeys = [...new Set(perSeries.map((g) => seriesKey(g.keys[1])))].sort();

  const dated = perYear.filter((g) => g.keys[0] !== null);
  const total = perYear.reduce((sum, g) => sum + g.count, 0);
  const years: TrendYear[] = [];
  if (dated.length > 0) {
    const byYear = new Map(dated.map((g) => [g.keys[0] as number, g]));
    const yearsOf = dated.map((g) => g.keys[0] as number);
    const first = yearsOf.reduce((a, b) => Math.min(a, b));
    const last = yearsOf.reduce((a, b) => Math.max(a, b));
    for (let year = first; year <= last; year++) {
      const g = byYear.get(year);
      const counts = Object.fromEntries(seriesKeys.map((k) => [k, 0]));
      for (const s of perSeries) if (s.keys[0] === year) counts[seriesKey(s.keys[1])]! += s.count;
      years.push({
        year,
        count: g?.count ?? 0,
        series: counts,
        median: g?.summary.median ?? null,
        median_n: g?.summary.n ?? 0,
      });
    }
  }
  const medianBetween = (from: number, to: number) => medianBetweenYears(db, filters, metric, from, to);
  return {
    count: total,
    undated: total - dated.reduce((sum, g) => sum + g.count, 0),
    series_keys: seriesKeys,
    years,
    summary: trendSummary(series, years, medianBetween, { metric, scale: metricScale(db, metric) }),
  };
}
