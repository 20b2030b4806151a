import type Database from "better-sqlite3";
import type { KeyValue } from "../queries/group-keys.js";

/**
 * An in-memory column copy of what the filtered aggregates read (docs/decisions/0006): one entry
 * per study, in id order, each text key dictionary-coded, the backbones as a list per study and
 * each metric's values loaded when first asked for. Built from SQLite for one data version
 * (registry.ts) and never written to: a write makes a new one.
 */

/** Codes of one key: `values[code]` is the value (NULL included, as a code like any other). */
export type Dict = { values: KeyValue[]; codes: Map<KeyValue, number> };

/** The study keys a filter or a grouping reads by equality; backbone is a list (below). */
export const CODED = ["review", "organ", "strategy", "modality", "condition", "year"] as const;
export type Coded = (typeof CODED)[number];

export type MetricColumn = {
  /** Per study: the value, NaN when the study reports none (or reports it without a number). */
  value: Float64Array;
  /** Per study: the index of its value in `distinct`, -1 when none. */
  rank: Int32Array;
  /** Every distinct value of the metric, ascending. */
  distinct: Float64Array;
};

export type ColumnStore = {
  n: number;
  /** Study ids, ascending; entry i is the study of every other column's entry i. */
  ids: Float64Array;
  codes: Record<Coded, Uint32Array>;
  dicts: Record<Coded | "backbone", Dict>;
  /** The year itself (YEAR_NONE when NULL), for ranges and the latest year. */
  year: Int32Array;
  /** Backbones of study i: bbCode[bbStart[i] .. bbStart[i + 1]), coded by dicts.backbone. */
  bbStart: Uint32Array;
  bbCode: Uint32Array;
  metrics: Map<string, MetricColumn>;
  /** Selections made during the current synchronous call (select.ts), by their filters. */
  memo: Map<string, Uint32Array>;
  /** Entry of a study id (-1 when none), for the full-text index's rowids. */
  entryOf: (id: number) => number;
};

export const YEAR_NONE = -2147483648;
const BATCH = 65_536;

function dict(): Dict & { code: (v: KeyValue) => number } {
  const values: KeyValue[] = [];
  const codes = new Map<KeyValue, number>();
  return {
    values,
    codes,
    code(v) {
      let c = codes.get(v);
      if (c === undefined) {
        c = values.length;
        values.push(v);
        codes.set(v, c);
      }
      return c;
    },
  };
}

/** Reads the studies and their backbones into columns; call inside a read transaction. */
export function loadColumns(sqlite: Database.Database): ColumnStore {
  const n = sqlite.prepare("SELECT count(*) FROM studies").pluck().get() as number;
  const ids = new Float64Array(n);
  const year = new Int32Array(n);
  const codes = Object.fromEntries(CODED.map((k) => [k, new Uint32Array(n)])) as Record<Coded, Uint32Array>;
  const dicts = { review: dict(), organ: dict(), strategy: dict(), modality: dict(), condition: dict(), year: dict(), backbone: dict() };
  // Batches by id keep the transient row arrays small (a million rows at once is ~200 MB of JS objects).
  const batch = sqlite.prepare("SELECT id, review_id, organ, strategy, modality, condition, year FROM studies WHERE id > ? ORDER BY id LIMIT ?").raw();
  let i = 0;
  let after = -Infinity;
  for (;;) {
    const rows = batch.all(after, BATCH) as [number, string, string, string | null, string | null, string, number | null][];
    for (const r of rows) {
      if (i >= n) break;
      ids[i] = r[0];
      codes.review[i] = dicts.review.code(r[1]);
      codes.organ[i] = dicts.organ.code(r[2]);
      codes.strategy[i] = dicts.strategy.code(r[3]);
      codes.modality[i] = dicts.modality.code(r[4]);
      codes.condition[i] = dicts.condition.code(r[5]);
      codes.year[i] = dicts.year.code(r[6]);
      year[i] = r[6] ?? YEAR_NONE;
      i++;
    }
    if (rows.length < BATCH) break;
    after = rows.at(-1)![0];
  }
  const entryOf = entryLookup(ids, i);

  // Backbones in primary-key order (study, backbone), so each study's run is contiguous.
  const bbStart = new Uint32Array(n + 1);
  let bbCode = new Uint32Array(Math.max(16, n * 2));
  let used = 0;
  const pairs = sqlite.prepare("SELECT study_id, backbone FROM study_backbones WHERE study_id >= ? AND study_id <= ? ORDER BY study_id, backbone").raw();
  let entry = 0;
  for (let from = 0; from < i; from += BATCH) {
    const to = Math.min(i, from + BATCH) - 1;
    for (const [studyId, backbone] of pairs.all(ids[from], ids[to]) as [number, string][]) {
      const e = entryOf(studyId);
      if (e < 0) continue;
      while (entry < e) bbStart[++entry] = used;
      if (used === bbCode.length) {
        const grown = new Uint32Array(bbCode.length * 2);
        grown.set(bbCode);
        bbCode = grown;
      }
      bbCode[used++] = dicts.backbone.code(backbone);
    }
  }
  while (entry < n) bbStart[++entry] = used;
  return { n: i, ids, codes, dicts, year, bbStart, bbCode: bbCode.slice(0, used), metrics: new Map(), memo: new Map(), entryOf };
}

/** Study id to entry: a dense table when ids are compact (synthetic and loaded corpora are), else a binary search. */
function entryLookup(ids: Float64Array, n: number): (id: number) => number {
  const max = n > 0 ? ids[n - 1]! : 0;
  if (max <= n * 4 + 1024) {
    const table = new Int32Array(max + 1).fill(-1);
    for (let i = 0; i < n; i++) table[ids[i]!] = i;
    return (id) => (Number.isInteger(id) && id >= 0 && id <= max ? table[id]! : -1);
  }
  return (id) => {
    let lo = 0;
    let hi = n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = ids[mid]!;
      if (v === id) return mid;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  };
}

/** One metric's values per study, read in (metric, value) index order so the distinct values come sorted. */
export function loadMetric(sqlite: Database.Database, store: ColumnStore, metric: string): MetricColumn {
  const value = new Float64Array(store.n).fill(Number.NaN);
  const rank = new Int32Array(store.n).fill(-1);
  const distinct: number[] = [];
  // Keyset batches over the (metric, value, study_id) index: it covers the read and sorts it.
  const first = sqlite.prepare("SELECT study_id, value FROM study_results WHERE metric = ? AND value IS NOT NULL ORDER BY value, study_id LIMIT ?").raw();
  const next = sqlite
    .prepare("SELECT study_id, value FROM study_results WHERE metric = ? AND (value > ? OR (value = ? AND study_id > ?)) ORDER BY value, study_id LIMIT ?")
    .raw();
  let rows = first.all(metric, BATCH) as [number, number][];
  for (;;) {
    for (const [studyId, v] of rows) {
      const e = store.entryOf(studyId);
      if (e < 0) continue;
      if (distinct.length === 0 || distinct[distinct.length - 1] !== v) distinct.push(v);
      value[e] = v;
      rank[e] = distinct.length - 1;
    }
    if (rows.length < BATCH) break;
    const [lastId, lastValue] = rows.at(-1)!;
    rows = next.all(metric, lastValue, lastValue, lastId, BATCH) as [number, number][];
  }
  return { value, rank, distinct: Float64Array.from(distinct) };
}

/** Bytes held by the typed arrays of a store (the dictionaries and lookup table aside). */
export function storeBytes(store: ColumnStore): number {
  let bytes = store.ids.byteLength + store.year.byteLength + store.bbStart.byteLength + store.bbCode.byteLength;
  for (const k of CODED) bytes += store.codes[k].byteLength;
  for (const m of store.metrics.values()) bytes += m.value.byteLength + m.rank.byteLength + m.distinct.byteLength;
  return bytes;
}
