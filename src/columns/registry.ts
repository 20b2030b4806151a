import { statSync } from "node:fs";
import Database from "better-sqlite3";
import { dataVersion } from "../cache/data-version.js";
import type { Db } from "../db/client.js";
import { inWriteTransaction } from "../db/snapshot.js";
import { buildColumns, loadColumns, loadMetric, type ColumnStore, type MetricColumn } from "./store.js";
import { buildText } from "./text.js";

const MAX_METRICS = 16;
/** The metric every dashboard view asks for: read with the store in a background build. */
const DEFAULT_METRIC = "accuracy";

type Built = { generation: number | null; store: ColumnStore };
type Held = Built & { token: string };
/** A build under way on its own read-only connection, one step per event-loop turn. */
type Pending = {
  /** A whole store, or the full-text terms of a store already held (text.ts). */
  kind: "store" | "text";
  token: string;
  generation: number | null;
  conn: Database.Database;
  steps: Generator<void, ColumnStore>;
};

const generationOf = (sqlite: Database.Database) =>
  (sqlite.prepare("SELECT generation FROM summary_state WHERE id = 1").pluck().get() as number | undefined) ?? null;
const held = new WeakMap<Database.Database, Held>();
/**
 * The last store held for each file (path, device and inode): another connection to the same file
 * that reads the same generation reads the same columns, so it borrows them instead of building
 * its own (a streamed download's own snapshot, src/db/snapshot.ts, built a whole store: 16 s at 1M).
 */
const latest = new Map<string, WeakRef<Held>>();

function fileKey(sqlite: Database.Database): string | null {
  if (sqlite.memory) return null;
  try {
    const { dev, ino } = statSync(sqlite.name);
    return `${sqlite.name}\0${dev}\0${ino}`;
  } catch {
    return null;
  }
}

function hold(sqlite: Database.Database, h: Held): void {
  held.set(sqlite, h);
  const key = fileKey(sqlite);
  if (key !== null) latest.set(key, new WeakRef(h));
}
const pending = new WeakMap<Database.Database, Pending>();

/**
 * The column store for the data this connection reads now, built on first use after any write
 * (the data version, src/cache/data-version.ts, moves on every commit by anyone and every change
 * by this connection). Null inside an open write transaction: a rollback does not move the
 * version back, so what was read there must not be kept; the caller then scans, with the same
 * answer. A request's read snapshot (src/db/snapshot.ts) is not one of those: inside it the data
 * version and the generation stay as of the snapshot, so the store kept or built is the
 * snapshot's own data.
 * When a background build (warmColumns) of the same data is under way, its remaining steps run
 * now: the request waits for the rest of the build, never longer than a build from scratch.
 */
export function columnsFor(db: Db): ColumnStore | null {
  const sqlite = db.$client;
  if (inWriteTransaction(sqlite)) return null;
  // Read before building: a commit landing during the build leaves newer data under an older
  // token, which the next call sees as changed and rebuilds.
  const token = dataVersion(sqlite);
  const current = currentStore(sqlite, token);
  if (current) return current;
  const building = pending.get(sqlite);
  if (building?.kind === "store" && sameData(sqlite, building, token)) return finish(sqlite, building);
  abandon(sqlite);
  held.delete(sqlite); // let the old copy go before the new one is read
  // One read transaction, so the studies, backbones and generation come from one snapshot.
  const built = sqlite.transaction(() => ({ generation: generationOf(sqlite), store: loadColumns(sqlite) }))();
  hold(sqlite, { token, ...built });
  return built.store;
}

/**
 * The store, if one is built for the data this connection reads now; never builds. For a
 * question that has a cheaper answer than a build (countStudies of `q` alone).
 */
export function builtColumns(db: Db): ColumnStore | null {
  const sqlite = db.$client;
  return inWriteTransaction(sqlite) ? null : currentStore(sqlite, dataVersion(sqlite));
}

function currentStore(sqlite: Database.Database, token: string): ColumnStore | null {
  const seen = held.get(sqlite) ?? borrowed(sqlite, token);
  if (seen?.token === token) return seen.store;
  // Something was written, but maybe not what the store holds (a summary rebuild, a new work, a
  // load failure): the triggers of migrations 0002 and 0006 count every write to studies,
  // study_backbones, study_results and citation_links and every change of a work's title or
  // authors in summary_state.generation, and a rollback restores it with the rows, so an
  // unchanged generation means unchanged columns and unchanged full-text index.
  if (seen && seen.generation !== null && seen.generation === generationOf(sqlite)) {
    seen.token = token;
    seen.store.memo.clear(); // selections are per synchronous call; none may cross a write
    return seen.store;
  }
  return null;
}

/** Another connection's store of this file, when it is of the generation this connection reads. */
function borrowed(sqlite: Database.Database, token: string): Held | undefined {
  const key = fileKey(sqlite);
  const other = key === null ? undefined : latest.get(key)?.deref();
  if (!other || other.generation === null || other.generation !== generationOf(sqlite)) return undefined;
  const mine = { token, generation: other.generation, store: other.store };
  held.set(sqlite, mine);
  return mine;
}

const sameData = (sqlite: Database.Database, p: Pending, token: string) =>
  p.token === token || (p.generation !== null && p.generation === generationOf(sqlite));

/**
 * Starts building the store for the data as it is now, off the request path: on a second,
 * read-only connection to the same file (so the build reads one snapshot without holding a
 * transaction open on the serving connection), one SQL statement per event-loop turn. Does
 * nothing when the store is current or already being built, or for a database that is not a
 * file another connection can open. Call it at start-up and after a load (server.ts polls it).
 */
export function warmColumns(db: Db): void {
  const sqlite = db.$client;
  if (sqlite.memory || sqlite.inTransaction) return;
  const token = dataVersion(sqlite);
  const current = currentStore(sqlite, token);
  if (current) {
    // Built on the request path (which leaves the full-text terms out): add them in the background.
    if (!current.text && !pending.has(sqlite)) warmText(sqlite, token, current);
    return;
  }
  const building = pending.get(sqlite);
  if (building?.kind === "store" && sameData(sqlite, building, token)) return;
  abandon(sqlite);
  held.delete(sqlite);
  const conn = openSnapshot(sqlite);
  if (!conn) return; // the request path still builds the store when it needs it
  run(sqlite, { kind: "store", token, generation: generationOf(conn), conn, steps: withDefaultMetric(conn) });
}

/**
 * Builds the store and its full-text terms in the background as the server does after start,
 * and resolves once both are held (the bench measures that serving state). Resolves at once
 * for a database the background cannot open (in memory), which builds on the request path.
 */
export async function columnsWarmed(db: Db): Promise<void> {
  warmColumns(db);
  while (columnsBuilding(db) || columnsBuilding(db, "text")) await new Promise((r) => setImmediate(r));
}

/** The full-text terms (text.ts) for a store already held, read from a snapshot of the same generation. */
function warmText(sqlite: Database.Database, token: string, store: ColumnStore): void {
  const conn = openSnapshot(sqlite);
  if (!conn) return;
  const generation = generationOf(conn);
  if (generation === null || generation !== held.get(sqlite)?.generation) {
    close(conn); // written since: the next poll builds a new store, text and all
    return;
  }
  run(sqlite, { kind: "text", token, generation, conn, steps: withText(conn, store) });
}

/** A second, read-only connection to the same file, its snapshot started; null when it cannot be opened. */
function openSnapshot(sqlite: Database.Database): Database.Database | null {
  let conn: Database.Database | null = null;
  try {
    conn = new Database(sqlite.name, { readonly: true, fileMustExist: true });
    conn.exec("BEGIN"); // the snapshot starts with the first read, the generation's
    return conn;
  } catch {
    if (conn?.open) conn.close();
    return null;
  }
}

/** Runs a build's steps one per event-loop turn until done, finished by a request, or abandoned. */
function run(sqlite: Database.Database, p: Pending): void {
  pending.set(sqlite, p);
  const step = () => {
    if (pending.get(sqlite) !== p) return;
    try {
      const next = p.steps.next();
      if (next.done) complete(sqlite, p, next.value);
      else setImmediate(step);
    } catch {
      abandon(sqlite);
    }
  };
  setImmediate(step);
}

/** The store and the default metric; complete() then starts the full-text terms' steps. */
function* withDefaultMetric(conn: Database.Database): Generator<void, ColumnStore> {
  const store = yield* buildColumns(conn);
  yield;
  store.metrics.set(DEFAULT_METRIC, loadMetric(conn, store, DEFAULT_METRIC));
  return store;
}

function* withText(conn: Database.Database, store: ColumnStore): Generator<void, ColumnStore> {
  store.text = yield* buildText(conn, store);
  return store;
}

function finish(sqlite: Database.Database, p: Pending): ColumnStore {
  for (;;) {
    const next = p.steps.next();
    if (next.done) return complete(sqlite, p, next.value);
  }
}

function complete(sqlite: Database.Database, p: Pending, store: ColumnStore): ColumnStore {
  pending.delete(sqlite);
  if (p.kind === "text") {
    close(p.conn);
    return store;
  }
  hold(sqlite, { token: p.token, generation: p.generation, store });
  // Held as soon as it is ready; the same snapshot goes on to read the full-text terms (~3 s at
  // 1M), never finished by a request, which meanwhile asks FTS5 as before.
  run(sqlite, { kind: "text", token: p.token, generation: p.generation, conn: p.conn, steps: withText(p.conn, store) });
  return store;
}

function abandon(sqlite: Database.Database): void {
  const p = pending.get(sqlite);
  if (!p) return;
  pending.delete(sqlite);
  close(p.conn);
}

function close(conn: Database.Database): void {
  if (conn.inTransaction) conn.exec("COMMIT");
  conn.close();
}

/**
 * Whether a background build of the store is under way for this connection, or with `"text"`, of
 * the full-text terms that follow it (for tests and the server's log).
 */
export function columnsBuilding(db: Db, kind: Pending["kind"] = "store"): boolean {
  return pending.get(db.$client)?.kind === kind;
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
