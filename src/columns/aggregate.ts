import type { KeyValue } from "../queries/group-keys.js";
import type { RawSummary } from "../summary/read.js";
import type { ColumnStore, Coded, MetricColumn } from "./store.js";

export type ColumnGroup = {
  keys: KeyValue[];
  /** Rows in the group: studies, or study-backbone pairs when grouping by backbone. */
  count: number;
  figures: RawSummary | null;
  latestYear: number | null;
  /** The first ids (ascending) when asked for, one grouping key only. */
  firstIds: number[];
};

export type GroupDim = Coded | "backbone";

const DENSE_LIMIT = 1 << 22;

/**
 * Groups the selected entries as the scan's GROUP BY does (a study without backbones falls in the
 * backbone NULL group, a study with two counts in both) and computes per group the count, the
 * metric's n, mean (summed as SQLite's avg does, with Kahan-Babuska-Neumaier compensation), exact
 * type-7 quartiles by order statistics of the group's values, min and max, and the latest year.
 */
export function aggregateColumns(
  store: ColumnStore,
  rows: Uint32Array,
  input: { groupBy: readonly GroupDim[]; metric: MetricColumn | null; withLatestYear?: boolean; firstIds?: number },
): ColumnGroup[] {
  const dims = input.groupBy;
  const cards = dims.map((d) => store.dicts[d].values.length + (d === "backbone" ? 1 : 0));
  const mult: number[] = [];
  let space = 1;
  for (const c of cards) {
    mult.push(space);
    space *= Math.max(1, c);
  }
  // Composite key -> group slot: a dense table for the usual few thousand keys, a Map beyond.
  const dense = space <= DENSE_LIMIT ? new Int32Array(space).fill(-1) : null;
  const sparse = dense ? null : new Map<number, number>();
  const slotKeys: number[] = [];
  const slotOf = (key: number) => {
    let s = dense ? dense[key]! : (sparse!.get(key) ?? -1);
    if (s < 0) {
      s = slotKeys.length;
      slotKeys.push(key);
      if (dense) dense[key] = s;
      else sparse!.set(key, s);
    }
    return s;
  };

  const bbIndex = dims.indexOf("backbone");
  const bbNull = bbIndex >= 0 ? store.dicts.backbone.values.length : 0;
  const coded = dims.map((d, i) => (i === bbIndex ? null : store.codes[d as Coded]));
  const metric = input.metric;
  const counts: number[] = [];
  const n: number[] = [];
  const sum: number[] = [];
  const err: number[] = [];
  const latest: number[] = [];
  const ids: number[][] = [];
  // Every (slot, rank) pair with a value, to order each group's values afterwards.
  let pairSlot: Int32Array = new Int32Array(Math.max(16, rows.length));
  let pairRank: Int32Array = new Int32Array(Math.max(16, rows.length));
  let pairs = 0;
  const { bbStart, bbCode, year } = store;
  const firstIds = input.firstIds ?? 0;

  const add = (e: number, key: number) => {
    const s = slotOf(key);
    if (s === counts.length) {
      counts.push(0);
      n.push(0);
      sum.push(0);
      err.push(0);
      latest.push(-Infinity);
      ids.push([]);
    }
    counts[s]!++;
    if (input.withLatestYear && year[e]! > latest[s]!) latest[s] = year[e]!; // YEAR_NONE never wins
    if (firstIds > 0 && ids[s]!.length < firstIds) ids[s]!.push(store.ids[e]!);
    if (metric) {
      const r = metric.rank[e]!;
      if (r >= 0) {
        const v = metric.value[e]!;
        n[s]!++;
        // SQLite's sum(): Kahan-Babuska-Neumaier, so the mean matches avg() to the last bits.
        const t = sum[s]! + v;
        err[s]! += Math.abs(sum[s]!) > Math.abs(v) ? sum[s]! - t + v : v - t + sum[s]!;
        sum[s] = t;
        if (pairs === pairSlot.length) {
          pairSlot = grow(pairSlot);
          pairRank = grow(pairRank);
        }
        pairSlot[pairs] = s;
        pairRank[pairs++] = r;
      }
    }
  };

  for (let i = 0; i < rows.length; i++) {
    const e = rows[i]!;
    let key = 0;
    for (let d = 0; d < dims.length; d++) if (d !== bbIndex) key += coded[d]![e]! * mult[d]!;
    if (bbIndex < 0) add(e, key);
    else if (bbStart[e] === bbStart[e + 1]) add(e, key + bbNull * mult[bbIndex]!);
    else for (let j = bbStart[e]!; j < bbStart[e + 1]!; j++) add(e, key + bbCode[j]! * mult[bbIndex]!);
  }

  const quantiles = metric ? orderStatistics(metric, n, pairSlot.subarray(0, pairs), pairRank.subarray(0, pairs)) : null;
  return slotKeys.map((key, s) => ({
    keys: dims.map((d, i) => {
      const code = Math.floor(key / mult[i]!) % Math.max(1, cards[i]!);
      return store.dicts[d].values[code] ?? null; // the backbone NULL code is past the dictionary
    }),
    count: counts[s]!,
    figures: quantiles ? { n: n[s]!, mean: n[s]! === 0 ? null : (sum[s]! + err[s]!) / n[s]!, ...quantiles[s]! } : null,
    latestYear: latest[s] === -Infinity ? null : latest[s]!,
    firstIds: ids[s]!,
  }));
}

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

type Quartiles = Omit<RawSummary, "n" | "mean">;
const NONE: Quartiles = { q1: null, median: null, q3: null, min: null, max: null };

/**
 * Each group's quartiles, min and max from its values' ranks: a counting pass per group over the
 * distinct values when the group is large beside them, a sort of its ranks otherwise. Type 7 as
 * SQLite's percentile_cont: h = (n - 1) p, then a + (b - a)(h - floor(h)).
 */
function orderStatistics(metric: MetricColumn, n: number[], slot: Int32Array, rank: Int32Array): Quartiles[] {
  const groups = n.length;
  const start = new Int32Array(groups + 1);
  for (let s = 0; s < groups; s++) start[s + 1] = start[s]! + n[s]!;
  const fill = start.slice(0, groups);
  const ordered = new Int32Array(slot.length);
  for (let i = 0; i < slot.length; i++) ordered[fill[slot[i]!]!++] = rank[i]!;
  const D = metric.distinct.length;
  const histogram = new Int32Array(D);
  const out: Quartiles[] = [];
  for (let s = 0; s < groups; s++) {
    const size = n[s]!;
    if (size === 0) {
      out.push(NONE);
      continue;
    }
    const own = ordered.subarray(start[s]!, start[s + 1]!);
    let at: (r: number) => number;
    if (size * 4 >= D) {
      for (let i = 0; i < size; i++) histogram[own[i]!]!++;
      // Rank r's value: walk the running counts (ranks are asked in ascending order below).
      const wanted = ranksOf(size);
      const found = new Map<number, number>();
      let before = 0;
      let w = 0;
      for (let v = 0; v < D && w < wanted.length; v++) {
        before += histogram[v]!;
        while (w < wanted.length && wanted[w]! < before) found.set(wanted[w++]!, metric.distinct[v]!);
      }
      for (let i = 0; i < size; i++) histogram[own[i]!] = 0;
      at = (r) => found.get(r)!;
    } else {
      own.sort();
      at = (r) => metric.distinct[own[r]!]!;
    }
    const q = (p: number) => {
      const h = (size - 1) * p;
      const lo = Math.floor(h);
      const a = at(lo);
      return h === lo || lo === size - 1 ? a : a + (at(lo + 1) - a) * (h - lo);
    };
    out.push({ q1: q(0.25), median: q(0.5), q3: q(0.75), min: at(0), max: at(size - 1) });
  }
  return out;
}

/** The ranks the quartiles, min and max read, ascending and distinct. */
function ranksOf(size: number): number[] {
  const ranks = new Set<number>([0, size - 1]);
  for (const p of [0.25, 0.5, 0.75]) {
    const lo = Math.floor((size - 1) * p);
    ranks.add(lo);
    if (lo + 1 < size) ranks.add(lo + 1);
  }
  return [...ranks].sort((a, b) => a - b);
}
