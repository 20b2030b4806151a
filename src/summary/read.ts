import type Database from "better-sqlite3";
import type { Db } from "../db/client.js";
import { likeEscape, type StudyFilters } from "../queries/filters.js";
import type { KeyValue } from "../queries/group-keys.js";
import { summariesCurrent } from "./build.js";
import { EMPTY, figuresKept, keyOf, prepare, toRaw, walkFigures, type KeptFigures, type RawSummary, type Scope } from "./figures.js";
import { findSet, type Dim, type GroupingSet } from "./sets.js";

/**
 * Answers counts and metric statistics from the summary tables (docs/decisions/0005). Every
 * function returns null when the summaries cannot answer exactly (stale, or no kept grouping set
 * fits the question), and the caller then scans: the answer is the same either way.
 */

/** A condition on one key: equal (NULL matches NULL), a closed numeric range, or a LIKE pattern. */
export type Constraint =
  | { dim: Dim; op: "eq"; value: KeyValue }
  | { dim: Dim; op: "range"; from?: number; to?: number }
  | { dim: Dim; op: "like"; pattern: string };


/**
 * The filters as key constraints, or null when a filter reads something no summary keeps (the
 * full-text search, a metric range), so only a scan can answer.
 */
export function constraintsOf(f: StudyFilters): Constraint[] | null {
  if (f.q !== undefined || f.accuracy_min !== undefined || f.accuracy_max !== undefined) return null;
  const out: Constraint[] = [];
  for (const dim of ["review", "organ", "strategy", "modality", "backbone"] as const) {
    const value = f[dim];
    if (value !== undefined) out.push({ dim, op: "eq", value });
  }
  // Same text as the scan's LIKE (filters.ts), so SQLite's case folding is the same too.
  if (f.condition !== undefined) out.push({ dim: "condition", op: "like", pattern: `%${likeEscape(f.condition)}%` });
  if (f.year_from !== undefined || f.year_to !== undefined) out.push({ dim: "year", op: "range", from: f.year_from, to: f.year_to });
  return out;
}

type Plan = { set: GroupingSet; slot: (d: Dim) => string; where: string; params: unknown[] };

/** Picks the kept set over exactly these dimensions and writes the WHERE for the constraints. */
function plan(sqlite: Database.Database, dims: Dim[], constraints: Constraint[], needValues: boolean): Plan | null {
  const all = [...new Set([...dims, ...constraints.map((c) => c.dim)])];
  const set = findSet(all, needValues);
  if (!set || !summariesCurrent(sqlite)) return null;
  const slot = (d: Dim) => `k${set.dims.indexOf(d)}`;
  // Unused key slots are NULL; saying so lets SQLite seek past them to the value in the index.
  const where = ["grouping = ?", ...[0, 1, 2].filter((i) => i >= set.dims.length).map((i) => `k${i} IS NULL`)];
  const params: unknown[] = [set.name];
  for (const c of constraints) {
    const k = slot(c.dim);
    if (c.op === "eq") {
      where.push(`${k} IS ?`);
      params.push(c.value);
    } else {
      // A range or pattern is resolved to the list of keys it keeps (from the counts, a few rows),
      // so the value columns after this key in the index can still be sought, key by key.
      const test =
        c.op === "like"
          ? { sql: `${k} LIKE ? ESCAPE '\\'`, params: [c.pattern] }
          : {
              sql: [c.from === undefined ? null : `${k} >= ?`, c.to === undefined ? null : `${k} <= ?`, `${k} IS NOT NULL`].filter(Boolean).join(" AND "),
              params: [c.from, c.to].filter((x) => x !== undefined),
            };
      const keys = prepare(sqlite, `SELECT DISTINCT ${k} FROM summary_counts WHERE grouping = ? AND ${test.sql}`)
        .pluck()
        .all(set.name, ...test.params) as KeyValue[];
      // One bound JSON array, not a parameter per key: a pattern may keep more keys than SQLite
      // binds parameters (32,766), and the statement's text stays the same for any count.
      where.push(`${k} IN (SELECT value FROM json_each(?))`);
      params.push(JSON.stringify(keys));
    }
  }
  return { set, slot, where: where.join(" AND "), params };
}

export type { RawSummary } from "./figures.js";
export type SummaryGroup = { keys: KeyValue[]; count: number; figures: RawSummary };

/** SQL's order: NULL first, numbers before text, then ascending (as ORDER BY on the key columns). */
export function compareSql(a: KeyValue[], b: KeyValue[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === y) continue;
    if (x === null) return -1;
    if (y === null) return 1;
    if (typeof x !== typeof y) return typeof x === "number" ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * Group counts and (with `withFigures`) exact metric statistics per group of `groupBy`, over the
 * studies the constraints keep. Quartiles are type 7 like SQLite's percentile_cont. Each group's
 * figures are kept as one row (`summary_figures`); when several rows of the set make one group
 * (a range or pattern over a dimension not grouped by), or the figures are not kept, they are
 * walked from the histograms (`walkFigures`), which is what the kept rows were computed by.
 */
export function summaryGroups(
  db: Db,
  input: { groupBy: readonly Dim[]; constraints: Constraint[]; metric: string; withFigures: boolean },
): SummaryGroup[] | null {
  const sqlite = db.$client;
  // A backbone filter keeps studies that name it, with all their backbones; the summaries key a
  // row by one backbone, so grouping by backbone under a backbone filter is left to the scan.
  if (input.groupBy.includes("backbone") && input.constraints.some((c) => c.dim === "backbone")) return null;
  const p = plan(sqlite, [...input.groupBy], input.constraints, input.withFigures);
  if (!p) return null;
  const g = input.groupBy.map((d) => p.slot(d));
  const gSelect = g.length === 0 ? "" : `${g.map((k, i) => `${k} AS g${i}`).join(", ")}, `;
  // Rows of several keys fall into one group only when a range or pattern keeps several values of
  // a dimension that is not grouped; otherwise each (group, bin) and (group, value) is one row,
  // already in index order, and the queries skip GROUP BY and its sort.
  const merged = input.constraints.some((c) => c.op !== "eq" && !input.groupBy.includes(c.dim));
  const sum = (column: string) => (merged ? `sum(${column})` : column);
  const groupBy = (extra: string[]) => {
    const columns = [...g, ...extra];
    return `${merged && columns.length > 0 ? ` GROUP BY ${columns.join(", ")}` : ""}${columns.length > 0 ? ` ORDER BY ${columns.join(", ")}` : ""}`;
  };
  const counts = prepare(sqlite, `SELECT ${gSelect}${sum("n")} AS n FROM summary_counts WHERE ${p.where}${groupBy([])}`).all(...p.params) as Record<string, KeyValue>[];
  const keysOf = (row: Record<string, KeyValue>) => g.map((_, i) => row[`g${i}`] ?? null);
  const groups = new Map<string, SummaryGroup>();
  for (const row of counts) {
    const n = row.n as number | null;
    if (!n) continue;
    const keys = keysOf(row);
    const id = keyOf(keys);
    // Without GROUP BY an ungrouped question over several rows still sums them here.
    const seen = groups.get(id);
    if (seen) seen.count += n;
    else groups.set(id, { keys, count: n, figures: EMPTY });
  }
  if (input.withFigures && groups.size > 0) {
    const scope = { where: p.where, params: p.params };
    for (const { keys, figures } of merged || !figuresKept(sqlite) ? walkFigures(sqlite, scope, g, merged, input.metric) : keptFigures(sqlite, scope, g, input.metric)) {
      const group = groups.get(keyOf(keys));
      if (group) group.figures = toRaw(figures);
    }
  }
  return [...groups.values()].sort((a, b) => compareSql(a.keys, b.keys));
}

/** The kept figures of each group (one row each, in key order), as `walkFigures` gave them when stored. */
function keptFigures(sqlite: Database.Database, scope: Scope, g: string[], metric: string): { keys: KeyValue[]; figures: KeptFigures }[] {
  const gSelect = g.length === 0 ? "" : `${g.join(", ")}, `;
  const rows = prepare(
    sqlite,
    `SELECT ${gSelect}n, total, q1, median, q3, min, max FROM summary_figures WHERE ${scope.where} AND metric = ?${g.length > 0 ? ` ORDER BY ${g.join(", ")}` : ""}`,
  )
    .raw()
    .all(...scope.params, metric) as KeyValue[][];
  const w = g.length;
  return rows.map((r) => ({
    keys: r.slice(0, w),
    figures: { n: r[w], total: r[w + 1], q1: r[w + 2], median: r[w + 3], q3: r[w + 4], min: r[w + 5], max: r[w + 6] } as KeptFigures,
  }));
}

/** Rows matching the constraints (studies; study-backbone pairs when `backbone` is constrained to one name, which is the same). */
export function summaryCount(db: Db, constraints: Constraint[], range?: { metric: string; min?: number; max?: number }): number | null {
  const sqlite = db.$client;
  const p = plan(sqlite, [], constraints, range !== undefined);
  if (!p) return null;
  if (!range) return (prepare(sqlite, `SELECT coalesce(sum(n), 0) FROM summary_counts WHERE ${p.where}`).pluck().get(...p.params) as number) ?? 0;
  // Whole bins strictly inside the range from the coarse histogram, the two edge bins value by value.
  const min = range.min ?? -1e15;
  const max = range.max ?? 1e15;
  if (min > max) return 0;
  const lo = Math.floor(min);
  const hi = Math.floor(max);
  const fine = prepare(sqlite, `SELECT coalesce(sum(n), 0) FROM summary_values WHERE ${p.where} AND metric = ? AND value >= ? AND value <= ? AND value < ?`);
  if (lo === hi) return fine.pluck().get(...p.params, range.metric, min, max, hi + 1) as number;
  const inside = prepare(sqlite, `SELECT coalesce(sum(n), 0) FROM summary_bins WHERE ${p.where} AND metric = ? AND bin > ? AND bin < ?`);
  return (
    (inside.pluck().get(...p.params, range.metric, lo, hi) as number) +
    (fine.pluck().get(...p.params, range.metric, min, max, lo + 1) as number) +
    (fine.pluck().get(...p.params, range.metric, Math.max(hi, min), max, hi + 1) as number)
  );
}

/** Distinct non-null values of `dim` among the rows the constraints keep. */
export function summaryDistinct(db: Db, dim: Dim, constraints: Constraint[]): number | null {
  const sqlite = db.$client;
  const p = plan(sqlite, [dim], constraints, false);
  if (!p) return null;
  return prepare(sqlite, `SELECT count(DISTINCT ${p.slot(dim)}) FROM summary_counts WHERE ${p.where} AND n > 0`).pluck().get(...p.params) as number;
}

/** The latest year per value of `dim` among the rows the constraints keep. */
export function summaryLatestYear(db: Db, dim: Dim, constraints: Constraint[]): Map<KeyValue, number | null> | null {
  const sqlite = db.$client;
  const p = plan(sqlite, [dim, "year"], constraints, false);
  if (!p) return null;
  const rows = prepare(sqlite, `SELECT ${p.slot(dim)} AS k, max(${p.slot("year")}) AS y FROM summary_counts WHERE ${p.where} AND n > 0 GROUP BY 1`).all(
    ...p.params,
  ) as { k: KeyValue; y: number | null }[];
  return new Map(rows.map((r) => [r.k, r.y]));
}
