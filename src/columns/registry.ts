import type Database from "better-sqlite3";
import { dataVersion } from "../cache/data-version.js";
import type { Db } from "../db/client.js";
import { loadColumns, loadMetric, type ColumnStore, type MetricColumn } from "./store.js";

const MAX_METRICS = 16;

type Held = { token: string; generation: number | null; store: ColumnStore };

const generationOf = (sqlite: Database.Database) =>
  (sqlite.prepare("SELECT generation FROM summary_state WHERE id = 1").pluck().get() as number | undefined) ?? null;
const held = new WeakMap<Database.Database, Held>();

/**
 * The column store for the data this connection reads now, built on first use after any write
 * (the data version, src/cache/data-version.ts, moves on every commit by anyone and every change
 * by this connection). Null inside an open transaction: a rollback does not move the version
 * back, so what was read there must not be kept; the caller then scans, with the same answer.
 */
export function columnsFor(db: Db): ColumnStore | null {
  const sqlite = db.$client;
  if (sqlite.inTransaction) return null;
  // Read before building: a commit landing during the build leaves newer data under an older
  // token, which the next call sees as changed and rebuilds.
  const token = dataVersion(sqlite);
  const seen = held.get(sqlite);
  if (seen?.token === token) return seen.store;
  // Something was written, but maybe not what the store holds (a summary rebuild, a citation
  // link, a new work): the triggers of migration 0002 count every write to studies,
  // study_backbones and study_results in summary_state.generation, and a rollback restores it
  // with the rows, so an unchanged generation means unchanged columns.
  const generation = generationOf(sqlite);
  if (seen && generation !== null && seen.generation === generation) {
    seen.token = token;
    seen.store.memo.clear(); // a selection by `q` reads the full-text index, which other writes change
    return seen.store;
  }
  held.delete(sqlite); // let the old copy go before the new one is read
  // One read transaction, so the studies, backbones and generation come from one snapshot.
  const built = sqlite.transaction(() => ({ generation: generationOf(sqlite), store: loadColumns(sqlite) }))();
  held.set(sqlite, { token, ...built });
  return built.store;
}

/** A metric's column in this store, read on first use (per data version, with the store). */
export function metricColumn(db: Db, store: ColumnStore, metric: string): MetricColumn {
  let column = store.metrics.get(metric);
  if (!column) {
    column = loadMetric(db.$client, store, metric);
    // Metrics are validated against the data by the API; the cap only bounds a caller that does not.
    if (store.metrics.size < MAX_METRICS) store.metrics.set(metric, column);
  }
  return column;
}
