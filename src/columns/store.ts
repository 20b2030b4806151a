import type Database from "better-sqlite3";
import type { KeyValue } from "../queries/group-keys.js";
import type { TextIndex } from "./text.js";

/**
 * An in-memory column copy of what the filtered aggregates read (docs/decisions/0006): one entry
 * per study, in id order, each key dictionary-coded with its posting lists (the entries of each
 * value, ascending), the backbones as a list per study and each metric's values loaded when first
 * asked for. Built from SQLite for one data version (registry.ts) and never written to: a write
 * makes a new one.
 */

/** Codes of one key: `values[code]` is the value (NULL included, as a code like any other). */
export type Dict = { values: KeyValue[]; codes: Map<KeyValue, number> };

/** The study keys a filter or a grouping reads by equality; backbone is a list (below). */
export const CODED = ["review", "organ", "strategy", "modality", "condition", "year"] as const;
export type Coded = (typeof CODED)[number];

/** The entries of each code, ascending: entries[start[c] .. start[c + 1]) hold code c. */
export type Postings = { start: Uint32Array; entries: Uint32Array };

/**
 * A code per entry, in the narrowest array its dictionary fits (decision 0009, round 2): every
 * key of the 1M corpus has at most 101 values, so a byte each instead of four (~17 MB less).
 */
export type CodeColumn = Uint8Array | Uint16Array | Uint32Array;

/** Marks a study without a cited work in `work`. */
export const NO_WORK = -1;

export type MetricColumn = {
  /** Per study: the value, NaN when the study reports none (or reports it without a number); made on first read. */
  value: Float64Array;
  /** Per study: the index of its value in `distinct`, -1 when none. */
  rank: Int32Array;
  /** Every distinct value of the metric, ascending. */
  distinct: Float64Array;
  /** The entries with a value, by rank: byRank.entries[byRank.start[r] ..) have distinct[r]. */
  byRank: Postings;
};

export type ColumnStore = {
  n: number;
  /** Study ids, ascending; entry i is the study of every other column's entry i (32 bits when they fit). */
  ids: Uint32Array | Float64Array;
  codes: Record<Coded, CodeColumn>;
  dicts: Record<Coded | "backbone", Dict>;
  /** Each key's posting lists; a coded key's are sorted out of its codes on first use (postingsOf). */
  postings: Record<Coded | "backbone", Postings>;
  /** The year itself (YEAR_NONE when NULL), for ranges and the latest year; made on first read. */
  year: Int32Array;
  /** Backbones of study i: bbCode[bbStart[i] .. bbStart[i + 1]), coded by dicts.backbone. */
  bbStart: Uint32Array;
  bbCode: CodeColumn;
  /** The work study i cites (citation_links.work_id), NO_WORK when none: distinct works of a selection (cited-works.ts). */
  work: Int32Array | Float64Array;
  metrics: Map<string, MetricColumn>;
  /** Selections made during the current synchronous call (select.ts), by their filters. */
  memo: Map<string, Uint32Array>;
  /** Entry of a study id (-1 when none), for the full-text index's rowids. */
  entryOf: (id: number) => number;
  /** The full-text index's common terms (text.ts), once a background build has read them. */
  text?: TextIndex;
  /** Scratch arrays reused by every aggregation (aggregate.ts): one synchronous call at a time. */
  scratch: Map<string, Int32Array | Uint32Array>;
};

export const YEAR_NONE = -2147483648;

// Each key's ids come from SQLite in one row per value, as a group_concat list: only a few hundred
// strings cross into JavaScript instead of a value and an id per study (a million small strings and
// row arrays made the row-at-a-time read 5–20 s at 1M). Each reads the narrowest covering index.
const KEY_SQL: Record<Exclude<Coded, "condition">, string> = {
  review: "SELECT review_id, group_concat(id) FROM studies INDEXED BY studies_source_idx GROUP BY review_id",
  organ: "SELECT organ, group_concat(id) FROM studies INDEXED BY studies_organ_idx GROUP BY organ",
  strategy: "SELECT strategy, group_concat(id) FROM studies INDEXED BY studies_strategy_idx GROUP BY strategy",
  modality: "SELECT modality, group_concat(id) FROM studies INDEXED BY studies_modality_idx GROUP BY modality",
  year: "SELECT year, group_concat(id) FROM studies INDEXED BY studies_year_idx GROUP BY year",
};
// No index leads with the condition: the covering organ index, one organ's range at a time, and a sort in SQLite.
const CONDITION_PER_ORGAN_SQL = "SELECT condition, group_concat(id) FROM studies INDEXED BY studies_organ_idx WHERE organ IS ? GROUP BY condition";
const BACKBONE_SQL = "SELECT backbone, group_concat(study_id) FROM study_backbones INDEXED BY study_backbones_backbone_idx GROUP BY backbone";
/** One slice of the study id range; both lists are fed the same rows in the same order. */
const WORK_SQL = "SELECT group_concat(study_id), group_concat(work_id) FROM citation_links WHERE study_id >= ? AND study_id < ? AND work_id IS NOT NULL";
const WORK_SLICE = 1 << 18;
const METRIC_SQL =
  "SELECT value, group_concat(study_id) FROM study_results INDEXED BY study_results_metric_value_idx WHERE metric = ? AND value IS NOT NULL GROUP BY value ORDER BY value";

/** The summaries' generation (migrations 0002, 0006): moves with every write the store reads. */
export const generationOf = (sqlite: Database.Database) =>
  (sqlite.prepare("SELECT generation FROM summary_state WHERE id = 1").pluck().get() as number | undefined) ?? null;

/** Calls `each` with every integer of a comma-separated list (group_concat's output). */
export function eachId(list: string, each: (id: number) => void): void {
  let v = 0;
  let neg = false;
  for (let i = 0; i < list.length; i++) {
    const c = list.charCodeAt(i);
    if (c === 44) {
      each(neg ? -v : v);
      v = 0;
      neg = false;
    } else if (c === 45) neg = true;
    else v = v * 10 + (c - 48);
  }
  if (list.length > 0) each(neg ? -v : v);
}

function dictOf(values: KeyValue[]): Dict {
  return { values, codes: new Map(values.map((v, c) => [v, c])) };
}

/** An array for a code per entry, as narrow as the number of codes allows. */
function codeColumn(n: number, cardinality: number): CodeColumn {
  if (cardinality <= 0x100) return new Uint8Array(n);
  if (cardinality <= 0x10000) return new Uint16Array(n);
  return new Uint32Array(n);
}

/** Posting lists from a code per entry: a counting sort, so each list comes out ascending. */
function postingsOf(codes: CodeColumn, n: number, cardinality: number): Postings {
  const start = new Uint32Array(cardinality + 1);
  for (let e = 0; e < n; e++) start[codes[e]! + 1]!++;
  for (let c = 0; c < cardinality; c++) start[c + 1]! += start[c]!;
  const fill = start.slice(0, cardinality);
  const entries = new Uint32Array(n);
  for (let e = 0; e < n; e++) entries[fill[codes[e]!]!++] = e;
  return { start, entries };
}

/**
 * Makes `target[key]` a value computed on its first read and kept from then on. A coded key's
 * posting lists are 4 bytes an entry (23 MB for the six keys at 1M) and a counting sort of its
 * codes away (~5–10 ms at 1M): sorted when a filter first starts from them, not at every build.
 */
function onFirstRead<T extends object, K extends keyof T>(target: T, key: K, make: () => T[K]): void {
  Object.defineProperty(target, key, {
    configurable: true,
    enumerable: true,
    get() {
      const value = make();
      Object.defineProperty(target, key, { value, enumerable: true, writable: false, configurable: false });
      return value;
    },
  });
}

/** Whether a value made on first read (onFirstRead) has been made yet: never makes it. */
export function made<T extends object>(target: T, key: keyof T): boolean {
  return "value" in (Object.getOwnPropertyDescriptor(target, key) ?? {});
}

/** Whether a key's posting lists have been sorted out yet (storeBytes counts only those). */
export const postingsBuilt = (store: ColumnStore, key: Coded | "backbone") => made(store.postings, key);

/**
 * The build, one SQL statement per step (each a few hundred ms at 1M): registry.ts runs the steps
 * back to back when a request needs the store now, or one per event-loop turn in the background.
 * Run it inside one read transaction, so every step reads the same snapshot.
 */
export function* buildColumns(sqlite: Database.Database): Generator<void, ColumnStore> {
  const [n, min, max] = sqlite.prepare("SELECT count(*), coalesce(min(id), 0), coalesce(max(id), 0) FROM studies").raw().get() as [number, number, number];
  const codes = {} as Record<Coded, CodeColumn>;
  const dictValues = {} as StoreParts["dictValues"];
  // Each key's lists are read, coded and dropped before the next key's are read: the strings of
  // one key at a time (~7 MB at 1M) rather than of all six (~40 MB, a V8 heap that stayed grown).
  const review = keyLists(sqlite, "review");
  yield;
  // Ids from the review lists (every study is in exactly one), ascending.
  const ids = min >= 0 && max <= 0xffffffff ? new Uint32Array(n) : new Float64Array(n);
  let i = 0;
  for (const [, parts] of review) for (const list of parts) eachId(list, (id) => (ids[i++] = id));
  ids.sort();
  const entryOf = entryLookup(ids);
  yield;
  const code = (k: Coded, rows: [KeyValue, string[]][]) => {
    const column = codeColumn(n, rows.length);
    for (let c = 0; c < rows.length; c++) for (const list of rows[c]![1]) eachId(list, (id) => (column[entryOf(id)] = c));
    codes[k] = column;
    dictValues[k] = rows.map((r) => r[0]);
  };
  code("review", review);
  review.length = 0;
  yield;
  for (const k of ["organ", "strategy", "modality", "year"] as const) {
    code(k, keyLists(sqlite, k));
    yield;
  }
  // The condition's sort is the longest statement (1–2 s at 1M under load): one organ at a time,
  // so a background build never holds the event loop that long.
  const byCondition = new Map<KeyValue, string[]>();
  const perOrgan = sqlite.prepare(CONDITION_PER_ORGAN_SQL).raw();
  for (const organ of dictValues.organ) {
    for (const [condition, list] of perOrgan.all(organ) as [KeyValue, string][]) {
      const known = byCondition.get(condition);
      if (known) known.push(list);
      else byCondition.set(condition, [list]);
    }
    yield;
  }
  code("condition", [...byCondition]);
  byCondition.clear();
  yield;

  // Backbones: per backbone its studies (the posting list), then per study its backbones (CSR).
  const bbRows = sqlite.prepare(BACKBONE_SQL).raw().all() as [string, string][];
  yield;
  dictValues.backbone = bbRows.map((r) => r[0]);
  const bbPostStart = new Uint32Array(bbRows.length + 1);
  let bbEntries = new Uint32Array(Math.max(16, n));
  let used = 0;
  for (let c = 0; c < bbRows.length; c++) {
    eachId(bbRows[c]![1], (id) => {
      const e = entryOf(id);
      if (e < 0) return;
      if (used === bbEntries.length) {
        const grown = new Uint32Array(used * 2);
        grown.set(bbEntries);
        bbEntries = grown;
      }
      bbEntries[used++] = e;
    });
    bbEntries.subarray(bbPostStart[c]!, used).sort();
    bbPostStart[c + 1] = used;
  }
  bbEntries = bbEntries.slice(0, used);
  const bbStart = new Uint32Array(n + 1);
  for (let j = 0; j < used; j++) bbStart[bbEntries[j]! + 1]!++;
  for (let e = 0; e < n; e++) bbStart[e + 1]! += bbStart[e]!;
  const bbCode = codeColumn(used, bbRows.length);
  const fill = bbStart.slice(0, n);
  // Backbone codes in name order (GROUP BY's), so each study's list is in name order as before.
  for (let c = 0; c < bbRows.length; c++) for (let j = bbPostStart[c]!; j < bbPostStart[c + 1]!; j++) bbCode[fill[bbEntries[j]!]!++] = c;
  bbRows.length = 0;
  yield;

  const work = yield* workColumn(sqlite, n, min, max, entryOf);
  const backbone = { start: bbPostStart, entries: bbEntries };
  return assemble({ n, ids, codes, dictValues, bbStart, bbCode, backbone, work, metrics: [] }, entryOf);
}

/**
 * A store as plain data: what a worker thread (worker.ts) sends back, every typed array moved, not
 * copied. Whatever is made on first read (coded keys' posting lists, the year, a metric's values)
 * and the lookups are made again on this side by `assemble`.
 */
export type StoreParts = {
  n: number;
  ids: Uint32Array | Float64Array;
  codes: Record<Coded, CodeColumn>;
  dictValues: Record<Coded | "backbone", KeyValue[]>;
  bbStart: Uint32Array;
  bbCode: CodeColumn;
  backbone: Postings;
  work: Int32Array | Float64Array;
  metrics: [string, Omit<MetricColumn, "value">][];
};

/** The parts of a store and the buffers to move with them (postMessage's transfer list). */
export function storeParts(store: ColumnStore): { parts: StoreParts; transfer: ArrayBuffer[] } {
  const metrics = [...store.metrics].map(([name, m]): [string, Omit<MetricColumn, "value">] => [name, { rank: m.rank, distinct: m.distinct, byRank: m.byRank }]);
  const dictValues = Object.fromEntries(Object.entries(store.dicts).map(([k, d]) => [k, d.values])) as StoreParts["dictValues"];
  const parts: StoreParts = { n: store.n, ids: store.ids, codes: store.codes, dictValues, bbStart: store.bbStart, bbCode: store.bbCode, backbone: store.postings.backbone, work: store.work, metrics };
  const arrays = [parts.ids, parts.bbStart, parts.bbCode, parts.work, parts.backbone.start, parts.backbone.entries, ...Object.values(parts.codes)];
  for (const [, m] of metrics) arrays.push(m.rank, m.distinct, m.byRank.start, m.byRank.entries);
  return { parts, transfer: [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))] };
}

/** The store of these parts: dictionaries, lookups and the values made on first read. */
export function assemble(parts: StoreParts, entryOf = entryLookup(parts.ids)): ColumnStore {
  const { n, codes } = parts;
  const dicts = Object.fromEntries(Object.entries(parts.dictValues).map(([k, values]) => [k, dictOf(values)])) as ColumnStore["dicts"];
  const postings = { backbone: parts.backbone } as ColumnStore["postings"];
  for (const k of CODED) {
    const cardinality = dicts[k].values.length;
    onFirstRead(postings, k, () => postingsOf(codes[k], n, cardinality));
  }
  const store: ColumnStore = {
    n,
    ids: parts.ids,
    codes,
    dicts,
    postings,
    year: new Int32Array(0),
    bbStart: parts.bbStart,
    bbCode: parts.bbCode,
    work: parts.work,
    metrics: new Map(parts.metrics.map(([name, m]) => [name, metricOf(n, m)])),
    memo: new Map(),
    entryOf,
    scratch: new Map(),
  };
  // The year itself is its code's value: spelt out (4 bytes an entry) when a range or the latest year first needs it.
  onFirstRead(store, "year", () => {
    const year = new Int32Array(n);
    const column = codes.year;
    const values = dicts.year.values;
    for (let e = 0; e < n; e++) year[e] = (values[column[e]!] as number | null) ?? YEAR_NONE;
    return year;
  });
  return store;
}

/** One key's values, each with its studies as a group_concat list. */
function keyLists(sqlite: Database.Database, k: Exclude<Coded, "condition">): [KeyValue, string[]][] {
  return (sqlite.prepare(KEY_SQL[k]).raw().all() as [KeyValue, string][]).map(([v, list]) => [v, [list]]);
}

/**
 * Each study's cited work, read in slices of the study id range (citation_links is keyed by
 * study id): per slice two lists in one pass, the study ids and their works in the same order, so
 * no slice holds more than a few MB of text or the event loop longer than one statement.
 */
function* workColumn(sqlite: Database.Database, n: number, min: number, max: number, entryOf: (id: number) => number): Generator<void, Int32Array | Float64Array> {
  const [lo, hi] = sqlite.prepare("SELECT coalesce(min(work_id), 0), coalesce(max(work_id), 0) FROM citation_links").raw().get() as [number, number];
  const work = lo >= 0 && hi <= 0x7fffffff ? new Int32Array(n) : new Float64Array(n);
  work.fill(NO_WORK);
  const slice = Math.max(WORK_SLICE, Math.ceil((max - min + 1) / 64));
  const read = sqlite.prepare(WORK_SQL).raw();
  for (let from = min; from <= max; from += slice) {
    const [studyList, workList] = read.get(from, from + slice) as [string | null, string | null];
    if (studyList !== null && workList !== null) {
      const entries: number[] = [];
      eachId(studyList, (id) => entries.push(entryOf(id)));
      let k = 0;
      eachId(workList, (w) => {
        const e = entries[k++]!;
        if (e >= 0) work[e] = w;
      });
    }
    yield;
  }
  return work;
}

/** The whole build at once; call inside a read transaction. */
export function loadColumns(sqlite: Database.Database): ColumnStore {
  const steps = buildColumns(sqlite);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Study id to entry (ids ascending): a dense table when ids are compact (synthetic and loaded corpora are), else a binary search. */
export function entryLookup(ids: Uint32Array | Float64Array): (id: number) => number {
  const n = ids.length;
  const first = ids[0] ?? 0;
  const max = ids[n - 1] ?? 0;
  // Ids without a gap (a synthetic corpus, a base never deleted from): the entry is the offset, no table.
  if (n > 0 && max - first === n - 1) return (id) => (Number.isInteger(id) && id >= first && id <= max ? id - first : -1);
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

/** One metric's values per study: one row per distinct value, ascending, with its studies. */
export function loadMetric(sqlite: Database.Database, store: ColumnStore, metric: string): MetricColumn {
  const rank = new Int32Array(store.n).fill(-1);
  const rows = sqlite.prepare(METRIC_SQL).raw().all(metric) as [number, string][];
  const distinct = new Float64Array(rows.length);
  const start = new Uint32Array(rows.length + 1);
  const entries = new Uint32Array(store.n); // a study has at most one row per metric
  let k = 0;
  rows.forEach(([v, list], r) => {
    distinct[r] = v;
    const from = k;
    eachId(list, (id) => {
      const e = store.entryOf(id);
      if (e < 0) return;
      rank[e] = r;
      entries[k++] = e;
    });
    entries.subarray(from, k).sort(); // ascending within a value, as every posting list
    start[r + 1] = k;
  });
  return metricOf(store.n, { rank, distinct, byRank: { start, entries: entries.slice(0, k) } });
}

function metricOf(n: number, parts: Omit<MetricColumn, "value">): MetricColumn {
  const { rank, distinct } = parts;
  const column: MetricColumn = { ...parts, value: new Float64Array(0) };
  // Each value is distinct[rank]: spelt out (8 bytes an entry) only when a range filter or an
  // aggregation over many groups first reads it.
  onFirstRead(column, "value", () => {
    const value = new Float64Array(n);
    for (let e = 0; e < n; e++) value[e] = rank[e]! < 0 ? Number.NaN : distinct[rank[e]!]!;
    return value;
  });
  return column;
}

/** Bytes held by the typed arrays of a store (the dictionaries and lookup table aside; posting lists not yet sorted out count nothing). */
export function storeBytes(store: ColumnStore): number {
  let bytes = store.ids.byteLength + store.bbStart.byteLength + store.bbCode.byteLength + store.work.byteLength;
  for (const k of CODED) bytes += store.codes[k].byteLength;
  for (const k of [...CODED, "backbone"] as const) {
    if (!postingsBuilt(store, k)) continue;
    const p = store.postings[k];
    bytes += p.start.byteLength + p.entries.byteLength;
  }
  if (made(store, "year")) bytes += store.year.byteLength;
  for (const m of store.metrics.values()) bytes += (made(m, "value") ? m.value.byteLength : 0) + m.rank.byteLength + m.distinct.byteLength + m.byRank.start.byteLength + m.byRank.entries.byteLength;
  return bytes;
}
