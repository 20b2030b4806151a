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
  /** Keeps the rows passing a test; the first test runs over every study. */
  const keep = (test: (e: number) => boolean) => {
    const from = rows;
    const out = new Uint32Array(from ? from.length : store.n);
    let k = 0;
    if (from) {
      for (let i = 0; i < from.length; i++) if (test(from[i]!)) out[k++] = from[i]!;
    } else {
      for (let e = 0; e < store.n; e++) if (test(e)) out[k++] = e;
    }
    rows = out.subarray(0, k);
  };
  for (const dim of ["review", "organ", "strategy", "modality"] as const) {
    const value = f[dim];
    if (value === undefined) continue;
    const code = store.dicts[dim].codes.get(value);
    if (code === undefined) return new Uint32Array(0);
    const column = store.codes[dim];
    keep((e) => column[e] === code);
  }
  if (f.year_from !== undefined || f.year_to !== undefined) {
    const from = f.year_from ?? -Infinity;
    const to = f.year_to ?? Infinity;
    const year = store.year;
    keep((e) => year[e] !== YEAR_NONE && year[e]! >= from && year[e]! <= to);
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
    keep((e) => ok[column[e]!] === 1);
  }
  if (f.backbone !== undefined) {
    const code = store.dicts.backbone.codes.get(f.backbone);
    if (code === undefined) return new Uint32Array(0);
    const { bbStart, bbCode } = store;
    keep((e) => {
      for (let j = bbStart[e]!; j < bbStart[e + 1]!; j++) if (bbCode[j] === code) return true;
      return false;
    });
  }
  if (f.accuracy_min !== undefined || f.accuracy_max !== undefined) {
    const min = f.accuracy_min ?? -Infinity;
    const max = f.accuracy_max ?? Infinity;
    const value = metricColumn(db, store, "accuracy").value;
    keep((e) => value[e]! >= min && value[e]! <= max); // NaN (no accuracy) fails both
  }
  if (rows) return rows;
  const all = new Uint32Array(store.n);
  for (let e = 0; e < store.n; e++) all[e] = e;
  return all;
}
