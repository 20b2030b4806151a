import type Database from "better-sqlite3";
import type { Db } from "../db/client.js";
import { likeEscape, type StudyFilters } from "../queries/filters.js";
import type { KeyValue } from "../queries/group-keys.js";
import { summariesCurrent } from "./build.js";
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

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();
function prepare(sqlite: Database.Database, sql: string): Database.Statement {
  let cache = statements.get(sqlite);
  if (!cache) {
    cache = new Map();
    statements.set(sqlite, cache);
  }
  let st = cache.get(sql);
  if (!st) {
    st = sqlite.prepare(sql);
    cache.set(sql, st);
  }
  return st;
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

/** Raw (unrounded) statistics of one group's values. */
export type RawSummary = {
  n: number;
  mean: number | null;
  q1: number | null;
  median: number | null;
  q3: number | null;
  min: number | null;
  max: number | null;
};
export type SummaryGroup = { keys: KeyValue[]; count: number; figures: RawSummary };

const EMPTY: RawSummary = { n: 0, mean: null, q1: null, median: null, q3: null, min: null, max: null };
const keyOf = (keys: KeyValue[]) => JSON.stringify(keys);

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
 * studies the constraints keep. Quartiles are type 7 like SQLite's percentile_cont: the order
 * statistics they need are found by walking the coarse histogram to the right bin, then the
 * fine histogram within that bin, so a group of any size costs a few hundred index rows.
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
    // Raw rows (arrays): a few hundred per grouping, read in key and bin order.
    const binRows = prepare(
      sqlite,
      `SELECT ${gSelect}bin, ${sum("n")} AS n, ${sum("total")} AS total FROM summary_bins WHERE ${p.where} AND metric = ?${groupBy(["bin"])}`,
    )
      .raw()
      .all(...p.params, input.metric) as KeyValue[][];
    const inGroup = `FROM summary_values WHERE ${p.where} AND metric = ?${g.map((k) => ` AND ${k} IS ?`).join("")} AND value >= ? AND value < ?`;
    // The first two distinct values whose running count passes a rank, within one bin: enough
    // for an order statistic and its successor, computed by SQLite over at most a bin's rows
    // (walking them in JS through an iterator measured 4x slower).
    const fine = prepare(
      sqlite,
      merged
        ? `SELECT value, c FROM (SELECT value, sum(sum(n)) OVER (ORDER BY value) AS c ${inGroup} GROUP BY value) WHERE c > ? LIMIT 2`
        : `SELECT value, c FROM (SELECT value, sum(n) OVER (ORDER BY value ROWS UNBOUNDED PRECEDING) AS c ${inGroup}) WHERE c > ? LIMIT 2`,
    );
    // The extremes are one index seek each.
    const lowest = prepare(sqlite, `SELECT min(value) ${inGroup}`).pluck();
    const highest = prepare(sqlite, `SELECT max(value) ${inGroup}`).pluck();
    const figures = (keys: KeyValue[], bins: Bin[]) => {
      const args = (bin: number) => [...p.params, input.metric, ...keys, bin, bin + 1];
      return figuresFromBins(bins, {
        after: (bin, rank) => fine.all(...args(bin), rank) as { value: number; c: number }[],
        min: (bin) => lowest.get(...args(bin)) as number,
        max: (bin) => highest.get(...args(bin)) as number,
      });
    };
    // Consecutive rows of one key are that group's bins.
    const width = g.length;
    const runs: { id: string; keys: KeyValue[]; bins: Bin[] }[] = [];
    for (const row of binRows) {
      const keys = row.slice(0, width);
      const id = keyOf(keys);
      if (runs.at(-1)?.id !== id) runs.push({ id, keys, bins: [] });
      runs.at(-1)!.bins.push({ bin: row[width] as number, n: row[width + 1] as number, total: row[width + 2] as number });
    }
    for (const run of runs) {
      const group = groups.get(run.id);
      if (group) group.figures = figures(run.keys, run.bins);
    }
  }
  return [...groups.values()].sort((a, b) => compareSql(a.keys, b.keys));
}

/**
 * The statistics of a histogram, from its coarse bins in order and, on demand, the first two
 * distinct values of a bin whose running count (from the bin's start) exceeds a rank.
 */
type Bin = { bin: number; n: number; total: number };

function figuresFromBins(
  bins: Bin[],
  fine: {
    after: (bin: number, rank: number) => { value: number; c: number }[];
    min: (bin: number) => number;
    max: (bin: number) => number;
  },
): RawSummary {
  const n = bins.reduce((s, b) => s + b.n, 0);
  if (n === 0) return EMPTY;
  const total = bins.reduce((s, b) => s + b.total, 0);
  /** The values at 0-based ranks r and r + 1 (the latter when there is one) in ascending order. */
  const pair = (r: number): [number, number | undefined] => {
    let before = 0;
    for (let i = 0; i < bins.length; i++) {
      const b = bins[i]!;
      if (r < before + b.n) {
        const [first, second] = fine.after(b.bin, r - before);
        if (!first) break;
        if (r + 1 < before + first.c) return [first.value, first.value];
        if (second) return [first.value, second.value];
        // r is the last rank of this bin: r + 1 is the smallest value of the next one.
        const next = bins[i + 1];
        return [first.value, next ? fine.min(next.bin) : undefined];
      }
      before += b.n;
    }
    throw new Error(`summary histogram is inconsistent: rank ${r} of ${n}`);
  };
  // As SQLite's percentile_cont: h = (n - 1) p, interpolate between floor(h) and the next.
  const quantile = (q: number) => {
    const h = (n - 1) * q;
    const lo = Math.floor(h);
    const [a, b] = pair(lo);
    return h === lo || b === undefined ? a : a + (b - a) * (h - lo);
  };
  const occupied = bins.filter((b) => b.n > 0);
  return {
    n,
    mean: total / 1e6 / n,
    q1: quantile(0.25),
    median: quantile(0.5),
    q3: quantile(0.75),
    min: fine.min(occupied[0]!.bin),
    max: fine.max(occupied.at(-1)!.bin),
  };
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
