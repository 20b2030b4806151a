import { and, asc, eq, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Db } from "../../../src/db/client.js";
import { studies, studyBackbones, studyResults } from "../../../src/db/schema.js";
import { accuracy, accuracyJoin, studyConditions, type StudyFilters } from "../../../src/queries/filters.js";
import { GROUP_COLUMNS, type GroupKey, type KeyValue } from "../../../src/queries/group-keys.js";

// The row-per-study reader the first (JavaScript) aggregates used; kept as the reference the SQL
// aggregates are checked against (tests/perf/aggregates-equivalence.test.ts).

const measured = alias(studyResults, "measured");

export type GroupedRow = { studyId: number; year: number | null; value: number | null; keys: KeyValue[] };

/**
 * One row per study and group (a study with two backbones gives two rows when grouping by
 * backbone, none missing when it names no backbone: its key is null), with the chosen metric.
 */
export function groupedRows(db: Db, input: { filters: StudyFilters; groupBy: readonly GroupKey[]; metric: string }): GroupedRow[] {
  const columns = input.groupBy.map((k) => GROUP_COLUMNS[k]);
  const byBackbone = input.groupBy.includes("backbone");
  const where: SQL[] = studyConditions(input.filters);
  const base = db
    .select({ studyId: studies.id, year: studies.year, value: measured.value, ...Object.fromEntries(columns.map((c, i) => [`k${i}`, c])) })
    .from(studies)
    .leftJoin(accuracy, accuracyJoin)
    .leftJoin(measured, and(eq(measured.studyId, studies.id), eq(measured.metric, input.metric)));
  const joined = byBackbone ? base.leftJoin(studyBackbones, eq(studyBackbones.studyId, studies.id)) : base;
  const rows = joined
    .where(and(...where))
    .orderBy(asc(studies.id))
    .all() as (Record<string, KeyValue> & { studyId: number; year: number | null; value: number | null })[];
  return rows.map((r) => ({ studyId: r.studyId, year: r.year, value: r.value, keys: columns.map((_, i) => r[`k${i}`] ?? null) }));
}
