import type { Db } from "../db/client.js";
import { likeEscape, type StudyFilters } from "../queries/filters.js";
import { metricColumn } from "./registry.js";
import { YEAR_NONE, type CodeColumn, type ColumnStore, type Postings } from "./store.js";
import { textEntries } from "./text.js";

/**
 * The entries of the studies that match the filters, ascending (so in id order), with exactly
 * the semantics of studyConditions (src/queries/filters.ts): equality as SQLite's `=` on text
 * (NULL never matches), the condition substring tested by SQLite's own LIKE once per distinct
 * condition, year and accuracy ranges inclusive (no value never matches), the backbone as "names
 * it among its backbones", and `q` as the full-text index matches it (text.ts).
 */
export function selectEntries(db: Db, store: ColumnStore, f: StudyFilters): Uint32Array {
  // One request asks for the same selection several times (trends: per year, per series, the
  // halves). The memo lasts until the current synchronous work ends (a query function runs
  // synchronously), so it never serves another request: uncached answers stay uncached.
  const key = memoKey(f);
  const known = store.memo.get(key);
  if (known) return known;
  const rows = select(db, store, f);
  if (store.memo.size === 0) queueMicrotask(() => store.memo.clear());
  if (store.memo.size >= MEMO_SIZE) store.memo.delete(store.memo.keys().next().value!);
  store.memo.set(key, rows);
  return rows;
}

const MEMO_SIZE = 8;
const memoKey = (f: StudyFilters) => JSON.stringify(Object.entries(f).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)));

/** The selection if this synchronous call already made it (see selectEntries), else undefined. */
export function madeSelection(store: ColumnStore, f: StudyFilters): Uint32Array | undefined {
  return store.memo.get(memoKey(f));
}

/** The entries of a selection whose year is within [from, to]. */
export function withinYears(store: ColumnStore, rows: Uint32Array, from: number, to: number): Uint32Array {
  return keepYears(rows, store.year, from, to);
}

/** A way to start a selection from posting lists: how many entries it yields, and which filter it covers. */
type Start = { size: number; covers: keyof StudyFilters; rows: () => Uint32Array };

/**
 * The cheapest start among the filters that have posting lists: the fewest entries wins, so a
 * selective filter (one review, one backbone, a rare modality) never walks the million entries.
 * Null when no filter narrows the corpus to less than half: a walk over every entry is then as
 * cheap as merging lists.
 */
function startFrom(db: Db, store: ColumnStore, f: StudyFilters): Start | null | "none" {
  const starts: Start[] = [];
  const list = (p: Postings, code: number, covers: keyof StudyFilters): Start => ({
    size: p.start[code + 1]! - p.start[code]!,
    covers,
    rows: () => p.entries.subarray(p.start[code]!, p.start[code + 1]!),
  });
  for (const dim of ["review", "organ", "strategy", "modality", "backbone"] as const) {
    const value = f[dim];
    if (value === undefined) continue;
    const code = store.dicts[dim].codes.get(value);
    if (code === undefined) return "none";
    starts.push(list(store.postings[dim], code, dim));
  }
  if (f.condition !== undefined) {
    const codes = matchingConditions(db, store, f.condition);
    starts.push(union(store, store.postings.condition, codes, "condition"));
  }
  if (f.year_from !== undefined || f.year_to !== undefined) {
    const lo = f.year_from ?? -2147483647;
    const hi = f.year_to ?? 2147483647;
    const codes: number[] = [];
    store.dicts.year.values.forEach((y, c) => {
      if (y !== null && (y as number) >= lo && (y as number) <= hi) codes.push(c);
    });
    starts.push(union(store, store.postings.year, codes, "year_from"));
  }
  if (f.accuracy_min !== undefined || f.accuracy_max !== undefined) {
    const { distinct, byRank } = metricColumn(db, store, "accuracy");
    const from = lowerBound(distinct, f.accuracy_min ?? -Infinity, false);
    const to = lowerBound(distinct, f.accuracy_max ?? Infinity, true);
    const a = byRank.start[from]!;
    const b = byRank.start[Math.max(from, to)]!;
    // Entries by value, so sorted back into id order.
    starts.push({ size: b - a, covers: "accuracy_min", rows: () => byRank.entries.slice(a, b).sort() });
  }
  let best: Start | null = null;
  for (const s of starts) if (!best || s.size < best.size) best = s;
  return best && best.size * 2 < store.n ? best : null;
}

/** The first index whose value is >= x (or > x when `after`), in an ascending array. */
export function lowerBound(values: Float64Array, x: number, after: boolean): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! < x || (after && values[mid]! === x)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The entries of several codes, ascending: a sort of their lists when few, a mark per entry otherwise. */
function union(store: ColumnStore, p: Postings, codes: number[], covers: keyof StudyFilters): Start {
  let size = 0;
  for (const c of codes) size += p.start[c + 1]! - p.start[c]!;
  const rows = () => {
    if (codes.length === 1) return p.entries.subarray(p.start[codes[0]!]!, p.start[codes[0]! + 1]!);
    if (size * 16 < store.n) {
      const out = new Uint32Array(size);
      let k = 0;
      for (const c of codes) {
        out.set(p.entries.subarray(p.start[c]!, p.start[c + 1]!), k);
        k += p.start[c + 1]! - p.start[c]!;
      }
      return out.sort();
    }
    const mark = new Uint8Array(store.n);
    for (const c of codes) for (let j = p.start[c]!; j < p.start[c + 1]!; j++) mark[p.entries[j]!] = 1;
    const out = new Uint32Array(size);
    let k = 0;
    for (let e = 0; e < store.n; e++) if (mark[e] === 1) out[k++] = e;
    return out;
  };
  return { size, covers, rows };
}

/** The condition codes whose text matches the substring, decided by SQLite's own LIKE (its ASCII-only case folding). */
function matchingConditions(db: Db, store: ColumnStore, condition: string): number[] {
  return db.$client
    .prepare("SELECT key FROM json_each(?) WHERE value LIKE ? ESCAPE '\\'")
    .pluck()
    .all(JSON.stringify(store.dicts.condition.values), `%${likeEscape(condition)}%`) as number[];
}

function select(db: Db, store: ColumnStore, f: StudyFilters): Uint32Array {
  let rows: Uint32Array | null = null;
  const start = startFrom(db, store, f);
  if (start === "none") return new Uint32Array(0);
  if (f.q !== undefined) rows = textEntries(db, store, f.q);
  // The start's own filter needs no test; with `q` its list is tested like any other filter.
  let covered: keyof StudyFilters | null = null;
  if (start && rows === null) {
    rows = start.rows();
    covered = start.covers;
  }
  // Each test is its own small function over plain typed arrays: a shared loop calling a closure
  // per study measured several times slower, and so did these loops inline in one long function.
  const scan = () => rows ?? everyEntry(store.n);
  for (const dim of ["review", "organ", "strategy", "modality"] as const) {
    const value = f[dim];
    if (value === undefined || covered === dim) continue;
    rows = keepCode(scan(), store.codes[dim], store.dicts[dim].codes.get(value)!);
  }
  if ((f.year_from !== undefined || f.year_to !== undefined) && covered !== "year_from") {
    rows = keepYears(scan(), store.year, f.year_from ?? -2147483647, f.year_to ?? 2147483647);
  }
  if (f.condition !== undefined && covered !== "condition") {
    const ok = new Uint8Array(store.dicts.condition.values.length);
    for (const c of matchingConditions(db, store, f.condition)) ok[c] = 1;
    rows = keepFlagged(scan(), store.codes.condition, ok);
  }
  if (f.backbone !== undefined && covered !== "backbone") {
    rows = keepBackbone(scan(), store.bbStart, store.bbCode, store.dicts.backbone.codes.get(f.backbone)!);
  }
  if ((f.accuracy_min !== undefined || f.accuracy_max !== undefined) && covered !== "accuracy_min") {
    rows = keepRange(scan(), metricColumn(db, store, "accuracy").value, f.accuracy_min ?? -Infinity, f.accuracy_max ?? Infinity);
  }
  return scan();
}

function keepCode(from: Uint32Array, column: CodeColumn, code: number): Uint32Array {
  const to = new Uint32Array(from.length);
  let k = 0;
  for (let i = 0; i < from.length; i++) if (column[from[i]!] === code) to[k++] = from[i]!;
  return to.subarray(0, k);
}

/** YEAR_NONE is below every bound, so a study without a year never passes. */
function keepYears(from: Uint32Array, year: Int32Array, lo: number, hi: number): Uint32Array {
  const to = new Uint32Array(from.length);
  let k = 0;
  for (let i = 0; i < from.length; i++) {
    const y = year[from[i]!]!;
    if (y >= lo && y <= hi && y !== YEAR_NONE) to[k++] = from[i]!;
  }
  return to.subarray(0, k);
}

function keepFlagged(from: Uint32Array, column: CodeColumn, ok: Uint8Array): Uint32Array {
  const to = new Uint32Array(from.length);
  let k = 0;
  for (let i = 0; i < from.length; i++) if (ok[column[from[i]!]!] === 1) to[k++] = from[i]!;
  return to.subarray(0, k);
}

function keepBackbone(from: Uint32Array, bbStart: Uint32Array, bbCode: CodeColumn, code: number): Uint32Array {
  const to = new Uint32Array(from.length);
  let k = 0;
  for (let i = 0; i < from.length; i++) {
    const e = from[i]!;
    for (let j = bbStart[e]!; j < bbStart[e + 1]!; j++) {
      if (bbCode[j] === code) {
        to[k++] = e;
        break;
      }
    }
  }
  return to.subarray(0, k);
}

/** NaN (no value) fails both bounds. */
function keepRange(from: Uint32Array, value: Float64Array, min: number, max: number): Uint32Array {
  const to = new Uint32Array(from.length);
  let k = 0;
  for (let i = 0; i < from.length; i++) {
    const v = value[from[i]!]!;
    if (v >= min && v <= max) to[k++] = from[i]!;
  }
  return to.subarray(0, k);
}

function everyEntry(n: number): Uint32Array {
  const all = new Uint32Array(n);
  for (let e = 0; e < n; e++) all[e] = e;
  return all;
}
