import { and, asc, eq, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client.js";
import { studies, studyBackbones, studyResults } from "../db/schema.js";
import { accuracy, accuracyJoin, studyConditions, type StudyFilters } from "./filters.js";

export const GROUP_KEYS = ["organ", "strategy", "backbone", "year", "modality", "condition"] as const;
export type GroupKey = (typeof GROUP_KEYS)[number];
export type KeyValue = string | number | null;

const measured = alias(studyResults, "measured");

/** Each group key mapped to its column: the whitelist that keeps group_by out of SQL text. */
const GROUP_COLUMNS = {
  organ: studies.organ,
  strategy: studies.strategy,
  backbone: studyBackbones.backbone,
  year: studies.year,
  modality: studies.modality,
  condition: studies.condition,
} as const;

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

/** Metric names present in the data, for validating `metric`. */
export function listMetrics(db: Db): string[] {
  return db
    .selectDistinct({ metric: studyResults.metric })
    .from(studyResults)
    .orderBy(studyResults.metric)
    .all()
    .map((r) => r.metric);
}
