import type Database from "better-sqlite3";
import type { KeyValue } from "../queries/group-keys.js";
import { GROUPING_SETS, type GroupingSet } from "./sets.js";

/**
 * Each group's statistics of a metric (count, exact sum, type-7 quartiles, median, extremes) from
 * its two-level histogram, and the `summary_figures` table that keeps them per group (decision
 * 0005, round 3). The walk is the one answer: the rebuild and the loader's upkeep store what it
 * gives, and a question the kept rows cannot answer (a range over a dimension it does not group
 * by) walks the histograms at request time, so both ways give the same numbers bit for bit.
 */

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();
/** One compiled statement per SQL text and connection (also for connections openDb did not make). */
export function prepare(sqlite: Database.Database, sql: string): Database.Statement {
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
export const EMPTY: RawSummary = { n: 0, mean: null, q1: null, median: null, q3: null, min: null, max: null };

/** What is kept per group: the value count, the sum in millionths (exact) and the order statistics. */
export type KeptFigures = { n: number; total: number; q1: number; median: number; q3: number; min: number; max: number };

/** The mean from the exact integer sum, as every path computes it. */
export const toRaw = (f: KeptFigures): RawSummary => ({ n: f.n, mean: f.total / 1e6 / f.n, q1: f.q1, median: f.median, q3: f.q3, min: f.min, max: f.max });

export const keyOf = (keys: KeyValue[]) => JSON.stringify(keys);

/** Which rows of one set a question reads: the WHERE over `summary_*` (without the metric) and its parameters. */
export type Scope = { where: string; params: unknown[] };

/**
 * The figures of every group (keys in the slot columns `g`, in order) among the rows `scope`
 * keeps. `merged`: several rows of one (group, bin) or (group, value) must be summed, because a
 * range or pattern keeps several values of a dimension that is not grouped.
 */
export function walkFigures(
  sqlite: Database.Database,
  scope: Scope,
  g: string[],
  merged: boolean,
  metric: string,
): { keys: KeyValue[]; figures: KeptFigures }[] {
  const gSelect = g.length === 0 ? "" : `${g.map((k, i) => `${k} AS g${i}`).join(", ")}, `;
  const sum = (column: string) => (merged ? `sum(${column})` : column);
  const columns = [...g, "bin"];
  const order = `${merged ? ` GROUP BY ${columns.join(", ")}` : ""} ORDER BY ${columns.join(", ")}`;
  // Raw rows (arrays): a few hundred per grouping, read in key and bin order.
  const binRows = prepare(sqlite, `SELECT ${gSelect}bin, ${sum("n")} AS n, ${sum("total")} AS total FROM summary_bins WHERE ${scope.where} AND metric = ?${order}`)
    .raw()
    .all(...scope.params, metric) as KeyValue[][];
  const inGroup = `FROM summary_values WHERE ${scope.where} AND metric = ?${g.map((k) => ` AND ${k} IS ?`).join("")} AND value >= ? AND value < ?`;
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
  // Consecutive rows of one key are that group's bins.
  const width = g.length;
  const runs: { id: string; keys: KeyValue[]; bins: Bin[] }[] = [];
  for (const row of binRows) {
    const keys = row.slice(0, width);
    const id = keyOf(keys);
    if (runs.at(-1)?.id !== id) runs.push({ id, keys, bins: [] });
    runs.at(-1)!.bins.push({ bin: row[width] as number, n: row[width + 1] as number, total: row[width + 2] as number });
  }
  const out: { keys: KeyValue[]; figures: KeptFigures }[] = [];
  for (const run of runs) {
    const args = (bin: number) => [...scope.params, metric, ...run.keys, bin, bin + 1];
    const figures = figuresFromBins(run.bins, {
      after: (bin, rank) => fine.all(...args(bin), rank) as { value: number; c: number }[],
      min: (bin) => lowest.get(...args(bin)) as number,
      max: (bin) => highest.get(...args(bin)) as number,
    });
    if (figures) out.push({ keys: run.keys, figures });
  }
  return out;
}

type Bin = { bin: number; n: number; total: number };

/**
 * The statistics of a histogram, from its coarse bins in order and, on demand, the first two
 * distinct values of a bin whose running count (from the bin's start) exceeds a rank; null when
 * it holds no value.
 */
function figuresFromBins(
  bins: Bin[],
  fine: {
    after: (bin: number, rank: number) => { value: number; c: number }[];
    min: (bin: number) => number;
    max: (bin: number) => number;
  },
): KeptFigures | null {
  const n = bins.reduce((s, b) => s + b.n, 0);
  if (n === 0) return null;
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
    total,
    q1: quantile(0.25),
    median: quantile(0.5),
    q3: quantile(0.75),
    min: fine.min(occupied[0]!.bin),
    max: fine.max(occupied.at(-1)!.bin),
  };
}

const SLOTS = ["k0", "k1", "k2"] as const;
const slotsOf = (set: GroupingSet) => SLOTS.slice(0, set.dims.length);

const insertSql = `INSERT INTO summary_figures (grouping, metric, k0, k1, k2, n, total, q1, median, q3, min, max)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

function store(sqlite: Database.Database, set: GroupingSet, metric: string, keys: KeyValue[], f: KeptFigures): void {
  const k = SLOTS.map((_, i) => keys[i] ?? null);
  prepare(sqlite, insertSql).run(set.name, metric, ...k, f.n, f.total, f.q1, f.median, f.q3, f.min, f.max);
}

/** Fills `summary_figures` from the histograms, every group of every set with values. */
export function rebuildFigures(sqlite: Database.Database): void {
  sqlite.exec("DELETE FROM summary_figures");
  for (const set of GROUPING_SETS.filter((s) => s.values)) {
    // Unused key slots are NULL; saying so lets SQLite seek past them in the index.
    const where = ["grouping = ?", ...SLOTS.slice(set.dims.length).map((k) => `${k} IS NULL`)].join(" AND ");
    const metrics = prepare(sqlite, "SELECT DISTINCT metric FROM summary_bins WHERE grouping = ?").pluck().all(set.name) as string[];
    for (const metric of metrics) {
      for (const { keys, figures } of walkFigures(sqlite, { where, params: [set.name] }, slotsOf(set), false, metric)) {
        store(sqlite, set, metric, keys, figures);
      }
    }
  }
}

/** One group of a set, as the values histogram names it: grouping, metric and the three key slots. */
export type GroupRef = [grouping: string, metric: string, k0: KeyValue, k1: KeyValue, k2: KeyValue];

/** Brings the figures of these groups in line with their histograms (a group left without values loses its row). */
export function refreshFigures(sqlite: Database.Database, groups: GroupRef[]): void {
  const match = "grouping = ? AND k0 IS ? AND k1 IS ? AND k2 IS ?";
  for (const [grouping, metric, ...keys] of groups) {
    const set = GROUPING_SETS.find((s) => s.name === grouping);
    if (!set?.values) continue;
    prepare(sqlite, `DELETE FROM summary_figures WHERE ${match} AND metric = ?`).run(grouping, ...keys, metric);
    const [found] = walkFigures(sqlite, { where: match, params: [grouping, ...keys] }, slotsOf(set), false, metric);
    if (found) store(sqlite, set, metric, found.keys, found.figures);
  }
}

/** Whether `summary_figures` holds every group's figures as of the histograms' last update. */
export function figuresKept(sqlite: Database.Database): boolean {
  const row = prepare(sqlite, "SELECT figures_generation IS built_generation AND built_generation IS NOT NULL FROM summary_state WHERE id = 1")
    .pluck()
    .get();
  return row === 1;
}
