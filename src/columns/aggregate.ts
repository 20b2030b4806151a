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

/** A reusable scratch array of at least `size` elements (contents undefined unless said). */
function scratchInt(store: ColumnStore, name: string, size: number): Int32Array {
  const have = store.scratch.get(name);
  if (have instanceof Int32Array && have.length >= size) return have;
  const made = new Int32Array(Math.max(size, (have?.length ?? 0) * 2, 16));
  store.scratch.set(name, made);
  return made;
}

/**
 * Groups the selected entries as the scan's GROUP BY does (a study without backbones falls in the
 * backbone NULL group, a study with two counts in both) and computes per group the count, the
 * metric's n, mean (summed as SQLite's avg does, with Kahan-Babuska-Neumaier compensation), exact
 * type-7 quartiles by order statistics of the group's values, min and max, and the latest year.
 * One pass gives every (entry, group) pair its group slot; the figures are then tight loops over
 * typed arrays, with no allocation per entry.
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
  const bbIndex = dims.indexOf("backbone");
  const bbNull = bbIndex >= 0 ? store.dicts.backbone.values.length : 0;
  const bbMult = bbIndex >= 0 ? mult[bbIndex]! : 0;
  const coded = dims.flatMap((d, i) => (i === bbIndex ? [] : [store.codes[d as Coded]]));
  const codedMult = dims.flatMap((_, i) => (i === bbIndex ? [] : [mult[i]!]));
  const { bbStart, bbCode } = store;

  // Composite key -> group slot: a dense table (kept between calls, reset after) for the usual
  // few thousand keys, a Map beyond.
  const dense = space <= DENSE_LIMIT ? slotTable(store, space) : null;
  const sparse = dense ? null : new Map<number, number>();
  const slotKeys: number[] = [];
  const maxPairs = bbIndex < 0 ? rows.length : rows.length + bbCode.length;
  const pairSlot = scratchInt(store, "pairSlot", maxPairs);
  const pairEntry = scratchInt(store, "pairEntry", maxPairs);
  let pairs = 0;
  for (let i = 0; i < rows.length; i++) {
    const e = rows[i]!;
    let key = 0;
    for (let d = 0; d < coded.length; d++) key += coded[d]![e]! * codedMult[d]!;
    const from = bbIndex < 0 ? 0 : bbStart[e]!;
    const to = bbIndex < 0 ? 0 : bbStart[e + 1]!;
    // Without a backbone grouping one pair; with one, a pair per backbone or the NULL group's.
    for (let j = from; j === from || j < to; j++) {
      const k = bbIndex < 0 ? key : key + (j < to ? bbCode[j]! : bbNull) * bbMult;
      let s = dense ? dense[k]! : (sparse!.get(k) ?? -1);
      if (s < 0) {
        s = slotKeys.length;
        slotKeys.push(k);
        if (dense) dense[k] = s;
        else sparse!.set(k, s);
      }
      pairSlot[pairs] = s;
      pairEntry[pairs++] = e;
    }
  }
  if (dense) for (const k of slotKeys) dense[k] = -1;

  const slots = slotKeys.length;
  const counts = new Int32Array(slots);
  for (let p = 0; p < pairs; p++) counts[pairSlot[p]!]!++;
  let latest: Float64Array | null = null;
  if (input.withLatestYear) {
    latest = new Float64Array(slots).fill(-Infinity);
    const { year } = store;
    for (let p = 0; p < pairs; p++) {
      const y = year[pairEntry[p]!]!;
      if (y > latest[pairSlot[p]!]!) latest[pairSlot[p]!] = y; // YEAR_NONE never wins
    }
  }
  const firstIds = input.firstIds ?? 0;
  const ids: number[][] = slotKeys.map(() => []);
  if (firstIds > 0) {
    // Pairs come in entry order, so each group's first ids are its smallest.
    for (let p = 0; p < pairs; p++) {
      const own = ids[pairSlot[p]!]!;
      if (own.length < firstIds) own.push(store.ids[pairEntry[p]!]!);
    }
  }
  const figures = input.metric ? metricFigures(store, input.metric, slots, pairSlot, pairEntry, pairs) : null;

  return slotKeys.map((key, s) => ({
    keys: dims.map((d, i) => {
      const code = Math.floor(key / mult[i]!) % Math.max(1, cards[i]!);
      return store.dicts[d].values[code] ?? null; // the backbone NULL code is past the dictionary
    }),
    count: counts[s]!,
    figures: figures ? figures[s]! : null,
    latestYear: latest === null || latest[s] === -Infinity ? null : latest[s]!,
    firstIds: ids[s]!,
  }));
}

/** The dense key -> slot table, all -1, of at least `space` entries; callers reset what they set. */
function slotTable(store: ColumnStore, space: number): Int32Array {
  const have = store.scratch.get("slots");
  if (have instanceof Int32Array && have.length >= space) return have;
  const made = new Int32Array(Math.max(space, 1024)).fill(-1);
  store.scratch.set("slots", made);
  return made;
}

// The positions a group's quartiles, min and max read: 0, the floor and the next of 1/4, 1/2 and 3/4, the last.
const WANT = 8;

/**
 * Per group: n, the compensated mean, type-7 quartiles (SQLite's percentile_cont: h = (n - 1) p,
 * then a + (b - a)(h - floor(h))), min and max. The order statistics come from one walk of the
 * pairs in value order: a counting sort of their ranks over the metric's distinct values when
 * there are many pairs beside them, a sort of (rank, group) keys otherwise; each group counts its
 * own values as they pass and keeps the ones at the positions it needs.
 */
function metricFigures(store: ColumnStore, metric: MetricColumn, slots: number, pairSlot: Int32Array, pairEntry: Int32Array, pairs: number): RawSummary[] {
  const { rank, value, distinct } = metric;
  const n = new Int32Array(slots);
  const sum = new Float64Array(slots);
  const err = new Float64Array(slots);
  let m = 0;
  for (let p = 0; p < pairs; p++) {
    const e = pairEntry[p]!;
    if (rank[e]! < 0) continue;
    const s = pairSlot[p]!;
    const v = value[e]!;
    n[s]!++;
    m++;
    // SQLite's sum(): Kahan-Babuska-Neumaier, so the mean matches avg() to the last bits.
    const t = sum[s]! + v;
    err[s]! += Math.abs(sum[s]!) > Math.abs(v) ? sum[s]! - t + v : v - t + sum[s]!;
    sum[s] = t;
  }

  // Each group's wanted positions, ascending (with repeats), and what was found there.
  const want = new Int32Array(slots * WANT);
  const got = new Float64Array(slots * WANT);
  for (let s = 0; s < slots; s++) {
    const size = n[s]!;
    if (size === 0) continue;
    const last = size - 1;
    const at = [0, last];
    for (const q of [0.25, 0.5, 0.75]) {
      const lo = Math.floor(last * q);
      at.push(lo, Math.min(lo + 1, last));
    }
    at.sort((a, b) => a - b);
    for (let w = 0; w < WANT; w++) want[s * WANT + w] = at[w]!;
  }
  const seen = new Int32Array(slots);
  const next = new Int32Array(slots);
  const pass = (s: number, v: number) => {
    const c = seen[s]!++;
    let w = next[s]!;
    while (w < WANT && want[s * WANT + w] === c) got[s * WANT + w++] = v;
    next[s] = w;
  };
  const D = distinct.length;
  if (m * 2 >= D) {
    // Counting sort: bucket starts by rank, then each pair's group placed in its rank's bucket.
    const start = new Int32Array(D + 1);
    for (let p = 0; p < pairs; p++) {
      const r = rank[pairEntry[p]!]!;
      if (r >= 0) start[r + 1]!++;
    }
    for (let r = 0; r < D; r++) start[r + 1]! += start[r]!;
    const placed = scratchInt(store, "placed", m);
    const fill = start.slice(0, D);
    for (let p = 0; p < pairs; p++) {
      const r = rank[pairEntry[p]!]!;
      if (r >= 0) placed[fill[r]!++] = pairSlot[p]!;
    }
    for (let r = 0; r < D; r++) {
      const v = distinct[r]!;
      for (let i = start[r]!; i < start[r + 1]!; i++) pass(placed[i]!, v);
    }
  } else {
    const keys = new Float64Array(m);
    let k = 0;
    for (let p = 0; p < pairs; p++) {
      const r = rank[pairEntry[p]!]!;
      if (r >= 0) keys[k++] = r * slots + pairSlot[p]!;
    }
    keys.sort();
    for (let i = 0; i < m; i++) {
      const r = Math.floor(keys[i]! / slots);
      pass(keys[i]! - r * slots, distinct[r]!);
    }
  }

  const out: RawSummary[] = [];
  for (let s = 0; s < slots; s++) {
    const size = n[s]!;
    if (size === 0) {
      out.push({ n: 0, mean: null, q1: null, median: null, q3: null, min: null, max: null });
      continue;
    }
    const valueAt = (pos: number) => {
      for (let w = 0; w < WANT; w++) if (want[s * WANT + w] === pos) return got[s * WANT + w]!;
      return Number.NaN; // unreachable: every position asked for is in `want`
    };
    const q = (p: number) => {
      const h = (size - 1) * p;
      const lo = Math.floor(h);
      const a = valueAt(lo);
      return h === lo || lo === size - 1 ? a : a + (valueAt(lo + 1) - a) * (h - lo);
    };
    out.push({ n: size, mean: (sum[s]! + err[s]!) / size, q1: q(0.25), median: q(0.5), q3: q(0.75), min: valueAt(0), max: valueAt(size - 1) });
  }
  return out;
}
