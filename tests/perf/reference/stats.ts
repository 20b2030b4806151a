import type { Db } from "../../../src/db/client.js";
import type { StudyFilters } from "../../../src/queries/filters.js";
import type { GroupKey, KeyValue } from "../../../src/queries/group-keys.js";
import { groupedRows } from "./grouped-rows.js";
import { summarize, type MetricSummary } from "../../../src/queries/statistics.js";

export type StatsGroup = {
  key: Record<string, KeyValue>;
  key_display_name: string;
  count: number;
  accuracy: MetricSummary;
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

/**
 * Counts and metric statistics per group. `count` at the top is the number of distinct studies;
 * group counts can add up to more when grouping by backbone (a study counts once per backbone).
 */
export function getStats(db: Db, input: { filters: StudyFilters; groupBy: readonly GroupKey[]; metric: string }): Stats {
  const rows = groupedRows(db, input);
  const groups = new Map<string, { keys: KeyValue[]; values: (number | null)[] }>();
  for (const r of rows) {
    const id = JSON.stringify(r.keys);
    const g = groups.get(id) ?? { keys: r.keys, values: [] };
    g.values.push(r.value);
    groups.set(id, g);
  }
  return {
    count: new Set(rows.map((r) => r.studyId)).size,
    groups: [...groups.values()]
      .sort((a, b) => compareKeys(a.keys, b.keys))
      .map((g) => ({
        key: Object.fromEntries(input.groupBy.map((k, i) => [k, g.keys[i] ?? null])),
        key_display_name: input.groupBy.map((k, i) => String(g.keys[i] ?? MISSING_LABEL[k])).join(" · "),
        count: g.values.length,
        accuracy: summarize(g.values),
      })),
  };
}
