import type { Db } from "../../../src/db/client.js";
import type { StudyFilters } from "../../../src/queries/filters.js";
import type { GroupKey, KeyValue } from "../../../src/queries/group-keys.js";
import { shapeStats, type Stats } from "../../../src/queries/stats.js";
import { summarize } from "../../../src/queries/statistics.js";
import { groupedRows } from "./grouped-rows.js";

// The first (JavaScript) aggregation behind stats, kept as the reference the SQL version is
// checked against; ordering and labels are the production ones.

export function getStats(db: Db, input: { filters: StudyFilters; groupBy: readonly GroupKey[]; metric: string }): Stats {
  const rows = groupedRows(db, input);
  const groups = new Map<string, { keys: KeyValue[]; values: (number | null)[] }>();
  for (const r of rows) {
    const id = JSON.stringify(r.keys);
    const g = groups.get(id) ?? { keys: r.keys, values: [] };
    g.values.push(r.value);
    groups.set(id, g);
  }
  const totals = [...groups.values()].map((g) => ({ keys: g.keys, count: g.values.length, summary: summarize(g.values) }));
  return shapeStats(input.groupBy, new Set(rows.map((r) => r.studyId)).size, totals);
}
