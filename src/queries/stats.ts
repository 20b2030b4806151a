import type { Db } from "../db/client.js";
import type { StudyFilters } from "./filters.js";
import { groupFigures } from "./group-stats.js";
import { countStudies } from "./study-count.js";
import type { GroupKey, KeyValue } from "./group-keys.js";
import type { MetricSummary } from "./statistics.js";

export type StatsGroup = {
  key: Record<string, KeyValue>;
  key_display_name: string;
  count: number;
  summary: MetricSummary;
};
export type Stats = { count: number; groups: StatsGroup[] };

const MISSING_LABEL: Record<GroupKey, string> = {
  organ: "no organ",
  strategy: "strategy not stated",
  backbone: "no backbone named",
  year: "year not stated",
  modality: "modality not stated",
  condition: "no condition",
};

/** Ascending by each key in turn, a missing value last, so a year grouping reads in time order. */
function compareKeys(a: KeyValue[], b: KeyValue[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** A group's keys (in group_by order), its study count and its metric summary, however aggregated. */
export type GroupTotals = { keys: KeyValue[]; count: number; summary: MetricSummary };

/** Orders and labels aggregated groups: everything after the aggregation, shared with the test oracle. */
export function shapeStats(groupBy: readonly GroupKey[], count: number, groups: GroupTotals[]): Stats {
  return {
    count,
    groups: [...groups]
      .sort((a, b) => compareKeys(a.keys, b.keys))
      .map((g) => ({
        key: Object.fromEntries(groupBy.map((k, i) => [k, g.keys[i] ?? null])),
        key_display_name: groupBy.map((k, i) => String(g.keys[i] ?? MISSING_LABEL[k])).join(" · "),
        count: g.count,
        summary: g.summary,
      })),
  };
}

/**
 * Counts and metric statistics per group. `count` at the top is the number of distinct studies;
 * group counts can add up to more when grouping by backbone (a study counts once per backbone).
 */
export function getStats(db: Db, input: { filters: StudyFilters; groupBy: readonly GroupKey[]; metric: string }): Stats {
  // Aggregated in SQL (see group-stats.ts and docs/decisions/0001): one row per group reaches JS.
  const groups = groupFigures(db, input);
  const count = input.groupBy.includes("backbone")
    ? countStudies(db, input.filters)
    : groups.reduce((sum, g) => sum + g.count, 0);
  return shapeStats(input.groupBy, count, groups);
}
