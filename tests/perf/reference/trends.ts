import type { Db } from "../../../src/db/client.js";
import type { StudyFilters } from "../../../src/queries/filters.js";
import { groupedRows, type GroupedRow } from "./grouped-rows.js";
import { quantile } from "../../../src/queries/statistics.js";
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
  accuracy_median: number | null;
  accuracy_n: number;
};
export type Trends = { count: number; undated: number; series_keys: string[]; years: TrendYear[]; summary: string };

const median = (xs: number[]) => (xs.length === 0 ? null : Math.round(quantile([...xs].sort((a, b) => a - b), 0.5) * 1e4) / 1e4);

/**
 * Studies per year split by a series, with the median accuracy of each year. Years between the
 * first and the last with no study appear with a count of 0, so a chart's axis has no holes.
 */
export function getTrends(db: Db, input: { filters: StudyFilters; series: Series }): Trends {
  const rows = groupedRows(db, { filters: input.filters, groupBy: [input.series], metric: "accuracy" });
  const studies = new Map<number, GroupedRow>(rows.map((r) => [r.studyId, r]));
  const dated = [...studies.values()].filter((s): s is GroupedRow & { year: number } => s.year !== null);
  const seriesKey = (r: GroupedRow) => String(r.keys[0] ?? UNSTATED[input.series]);
  const seriesKeys = [...new Set(rows.map(seriesKey))].sort();

  const years: TrendYear[] = [];
  if (dated.length > 0) {
    const first = Math.min(...dated.map((s) => s.year));
    const last = Math.max(...dated.map((s) => s.year));
    for (let year = first; year <= last; year++) {
      const inYear = dated.filter((s) => s.year === year);
      const series = Object.fromEntries(seriesKeys.map((k) => [k, 0]));
      // Counted per row, not per study: a study with two backbones adds one to each.
      for (const r of rows) if (r.year === year) series[seriesKey(r)]! += 1;
      const values = inYear.map((s) => s.value).filter((v): v is number => v !== null);
      years.push({ year, count: inYear.length, series, accuracy_median: median(values), accuracy_n: values.length });
    }
  }
  return {
    count: studies.size,
    undated: studies.size - dated.length,
    series_keys: seriesKeys,
    years,
    summary: trendSummary(input.series, years, dated.flatMap((s) => (s.value === null ? [] : [{ year: s.year, value: s.value }]))),
  };
}
