import type { Db } from "../../../src/db/client.js";
import type { StudyFilters } from "../../../src/queries/filters.js";
import { quantile } from "../../../src/queries/statistics.js";
import { trendSummary } from "../../../src/queries/trend-summary.js";
import { UNSTATED, type Series, type TrendYear, type Trends } from "../../../src/queries/trends.js";
import { groupedRows, type GroupedRow } from "./grouped-rows.js";

// The types and the sentence writer are the production ones: only the aggregation is re-derived.

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
      years.push({ year, count: inYear.length, series, median: median(values), median_n: values.length });
    }
  }
  return {
    count: studies.size,
    undated: studies.size - dated.length,
    series_keys: seriesKeys,
    years,
    summary: trendSummary(input.series, years, (from, to) => {
      const xs = dated.flatMap((s) => (s.value !== null && s.year >= from && s.year <= to ? [s.value] : [])).sort((a, b) => a - b);
      return xs.length === 0 ? null : quantile(xs, 0.5);
    }),
  };
}
