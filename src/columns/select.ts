import type { Db } from "../db/client.js";
import { ftsQuery, likeEscape, type StudyFilters } from "../queries/filters.js";
import { metricColumn } from "./registry.js";
import { YEAR_NONE, type ColumnStore } from "./store.js";

/**
 * The entries of the studies that match the filters, ascending (so in id order), with exactly
 * the semantics of studyConditions (src/queries/filters.ts): equality as SQLite's `=` on text
 * (NULL never matches), the condition substring tested by SQLite's own LIKE once per distinct
 * condition, year and accuracy ranges inclusive (no value never matches), the backbone as "names
 * it among its backbones", and `q` as the full-text index's matching rowids.
 */
export function selectEntries(db: Db, store: ColumnStore, f: StudyFilters): Uint32Array {
  // One request asks for the same selection several times (trends: per year, per series, the
  // halves). The memo lasts until the current synchronous work ends (a query function runs
  // synchronously), so it never serves another request: uncached answers stay uncached.
  const key = JSON.stringify(Object.entries(f).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)));
  const known = store.memo.get(key);
  if (known) return known;
  const rows = select(db, store, f);
  if (store.memo.size === 0) queueMicrotask(() => store.memo.clear());
  if (store.memo.size >= MEMO_SIZE) store.memo.delete(store.memo.keys().next().value!);
  store.memo.set(key, rows);
  return rows;
}

const MEMO_SIZE = 8;

/** The entries of a selection whose year is within [from, to]. */
export function withinYears(store: ColumnStore, rows: Uint32Array, from: number, to: number): Uint32Array {
  const out = new Uint32Array(rows.length);
  let k = 0;
  for (let i = 0; i < rows.length; i++) {
    const y = store.year[rows[i]!]!;
    if (y >= from && y <= to && y !== YEAR_NONE) out[k++] = rows[i]!;
  }
  return out.subarray(0, k);
}

function select(db: Db, store: ColumnStore, f: StudyFilters): Uint32Array {
  let rows: Uint32Array | null = null;
  if (f.q !== undefined) {
    const match = ftsQuery(f.q);
    if (match === null) return new Uint32Array(0);
    const rowids = db.$client.prepare("SELECT rowid FROM studies_fts WHERE studies_fts MATCH ?").pluck().all(match) as number[];
    const out = new Uint32Array(rowids.length);
    let k = 0;
    for (const id of rowids) {
      const e = store.entryOf(id);
      if (e >= 0) out[k++] = e;
    }
    rows = out.subarray(0, k).sort();
  }
  // Each test is its own loop over plain typed arrays (a shared loop calling a closure per
  // study measured several times slower once V8 sees more than one closure there).
  const scan = () => rows ?? everyEntry(store.n);
  const out = (from: Uint32Array) => new Uint32Array(from.length);
  for (const dim of ["review", "organ", "strategy", "modality"] as const) {
    const value = f[dim];
    if (value === undefined) continue;
    const code = store.dicts[dim].codes.get(value);
    if (code === undefined) return new Uint32Array(0);
    const column = store.codes[dim];
    const from = scan();
    const to = out(from);
    let k = 0;
    for (let i = 0; i < from.length; i++) if (column[from[i]!] === code) to[k++] = from[i]!;
    rows = to.subarray(0, k);
  }
  if (f.year_from !== undefined || f.year_to !== undefined) {
    const lo = f.year_from ?? -2147483647;
    const hi = f.year_to ?? 2147483647;
    const year = store.year;
    const from = scan();
    const to = out(from);
    let k = 0;
    // YEAR_NONE is below every bound, so a study without a year never passes.
    for (let i = 0; i < from.length; i++) {
      const y = year[from[i]!]!;
      if (y >= lo && y <= hi && y !== YEAR_NONE) to[k++] = from[i]!;
    }
    rows = to.subarray(0, k);
  }
  if (f.condition !== undefined) {
    // SQLite decides which conditions match (its LIKE folds ASCII case only), once per distinct one.
    const { values } = store.dicts.condition;
    const matching = db.$client
      .prepare("SELECT key FROM json_each(?) WHERE value LIKE ? ESCAPE '\\'")
      .pluck()
      .all(JSON.stringify(values), `%${likeEscape(f.condition)}%`) as number[];
    const ok = new Uint8Array(values.length);
    for (const c of matching) ok[c] = 1;
    const column = store.codes.condition;
    const from = scan();
    const to = out(from);
    let k = 0;
    for (let i = 0; i < from.length; i++) if (ok[column[from[i]!]!] === 1) to[k++] = from[i]!;
    rows = to.subarray(0, k);
  }
  if (f.backbone !== undefined) {
    const code = store.dicts.backbone.codes.get(f.backbone);
    if (code === undefined) return new Uint32Array(0);
    const { bbStart, bbCode } = store;
    const from = scan();
    const to = out(from);
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
    rows = to.subarray(0, k);
  }
  if (f.accuracy_min !== undefined || f.accuracy_max !== undefined) {
    const min = f.accuracy_min ?? -Infinity;
    const max = f.accuracy_max ?? Infinity;
    const value = metricColumn(db, store, "accuracy").value;
    const from = scan();
    const to = out(from);
    let k = 0;
    for (let i = 0; i < from.length; i++) {
      const v = value[from[i]!]!;
      if (v >= min && v <= max) to[k++] = from[i]!; // NaN (no accuracy) fails both
    }
    rows = to.subarray(0, k);
  }
  return scan();
}

function everyEntry(n: number): Uint32Array {
  const all = new Uint32Array(n);
  for (let e = 0; e < n; e++) all[e] = e;
  return all;
}
