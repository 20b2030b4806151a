import { MessageChannel, type MessagePort, receiveMessageOnPort, type Worker } from "node:worker_threads";
import type Database from "better-sqlite3";
import { dataVersion } from "../cache/data-version.js";
import type { Db } from "../db/client.js";
import { pathIdentity } from "../db/file-identity.js";
import { inWriteTransaction } from "../db/snapshot.js";
import { startWorker } from "../worker-thread.js";
import { BUILDING, type BuildJob, type BuildMessage } from "./build-job.js";
import { assemble, generationOf, loadColumns, loadMetric, type ColumnStore, type MetricColumn } from "./store.js";

const MAX_METRICS = 16;
/** The metric every dashboard view asks for: read with the store in a background build. */
const DEFAULT_METRIC = "accuracy";

type Built = { generation: number | null; store: ColumnStore };
type Held = Built & { token: string };
/**
 * A build under way in a thread of its own (worker.ts): a whole store, then its full-text terms
 * (text.ts); or only the terms of a store already held. A store build becomes a "text" build
 * once the store has arrived.
 */
type Pending = {
  kind: "store" | "text";
  token: string;
  /** The data's generation: as read when the build started, then as the thread's snapshot read it. */
  generation: number | null;
  /** The store the terms are for, once there is one. */
  store?: ColumnStore;
  worker: Worker;
  port: MessagePort;
  signal: Int32Array;
};

/**
 * How long a request that needs the store waits for a build under way (~4–15 s at 1M) before it
 * builds one itself: a thread that died without a word (out of memory) must not hold it forever.
 */
const WAIT_MS = 60_000;
const held = new WeakMap<Database.Database, Held>();
/**
 * The last store held for each file (path, device and inode): another connection to the same file
 * that reads the same generation reads the same columns, so it borrows them instead of building
 * its own (a streamed download's own snapshot, src/db/snapshot.ts, built a whole store: 16 s at 1M).
 */
const latest = new Map<string, WeakRef<Held>>();

function fileKey(sqlite: Database.Database): string | null {
  const file = pathIdentity(sqlite);
  return file === null ? null : `${sqlite.name}\0${file.dev}\0${file.ino}`;
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
 * When a background build (warmColumns) of the same data is under way, the request waits for
 * the thread to send the store: the rest of the build, not a build from scratch.
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
  if (building?.kind === "store" && sameData(sqlite, building, token)) {
    Atomics.wait(building.signal, 0, BUILDING, WAIT_MS);
    drain(sqlite, building);
    // Null when the thread failed, or read a newer snapshot than this request's.
    const arrived = currentStore(sqlite, token);
    if (arrived) return arrived;
  }
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
 * Starts building the store for the data as it is now, off the request path: in a thread of its
 * own (worker.ts) on a read-only connection to the same file, so the build reads one snapshot
 * and never holds the event loop. Does nothing when the store is current or already being built,
 * or for a database that is not a file another connection can open. Call it at start-up and
 * after a load (server.ts polls it).
 */
export function warmColumns(db: Db): void {
  const sqlite = db.$client;
  // No thread for a file that is gone or replaced under the server: opened by its path, the thread
  // would fail at every poll, or read another file. The request path still builds from this connection.
  const file = sqlite.memory || sqlite.inTransaction ? null : pathIdentity(sqlite);
  if (file === null) return;
  const token = dataVersion(sqlite);
  const current = currentStore(sqlite, token);
  if (current) {
    // Built on the request path (which leaves the full-text terms out): add them in the background.
    if (!current.text && !pending.has(sqlite)) startBuild(sqlite, file, token, current);
    return;
  }
  const building = pending.get(sqlite);
  if (building?.kind === "store" && sameData(sqlite, building, token)) return;
  abandon(sqlite);
  held.delete(sqlite);
  startBuild(sqlite, file, token);
}

/**
 * Builds the store and its full-text terms in the background as the server does after start,
 * and resolves once both are held (the bench measures that serving state). Resolves at once
 * for a database the background cannot open (in memory), which builds on the request path.
 */
export async function columnsWarmed(db: Db): Promise<void> {
  warmColumns(db);
  while (columnsBuilding(db) || columnsBuilding(db, "text")) await new Promise((r) => setTimeout(r, 5));
}

/**
 * Starts the build thread on `file` (the file this connection reads, which the thread checks it
 * opened): for a whole store, or for the terms of `store` (held, of this data).
 */
function startBuild(sqlite: Database.Database, file: BuildJob["file"], token: string, store?: ColumnStore): void {
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const job: BuildJob = { path: sqlite.name, file, metric: DEFAULT_METRIC, ids: store?.ids, port: port2, signal };
  let worker: Worker;
  try {
    worker = startWorker("columns-worker", new URL("./worker.ts", import.meta.url), { workerData: job, transferList: [port2] });
  } catch {
    port1.close();
    return; // the request path still builds the store when it needs it
  }
  // Never what keeps a process alive (a script, a test run); the server has its listener.
  worker.unref();
  port1.unref();
  const generation = store ? (held.get(sqlite)?.generation ?? null) : generationOf(sqlite);
  const p: Pending = { kind: store ? "text" : "store", token, generation, store, worker, port: port1, signal };
  pending.set(sqlite, p);
  port1.on("message", (message: BuildMessage) => receive(sqlite, p, message));
  // A thread that ended: what it sent is read first (the exit can be seen before its last message).
  const ended = () => {
    drain(sqlite, p);
    if (pending.get(sqlite) === p) abandon(sqlite);
  };
  worker.once("exit", ended);
  worker.once("error", ended);
}

function receive(sqlite: Database.Database, p: Pending, message: BuildMessage): void {
  if (pending.get(sqlite) !== p) return; // abandoned: the data moved on
  if (message.kind === "error") {
    abandon(sqlite);
    return;
  }
  if (message.kind === "store") {
    const store = assemble(message.parts);
    hold(sqlite, { token: p.token, generation: message.generation, store });
    // Held as soon as it arrives; the thread goes on to read the full-text terms (~3 s at 1M),
    // never waited for by a request, which meanwhile asks FTS5 as before.
    Object.assign(p, { kind: "text", generation: message.generation, store });
    return;
  }
  // Terms of another snapshot than the store's (written since) are dropped: the next poll builds
  // a new store, terms and all.
  if (p.store && p.generation !== null && message.generation === p.generation) p.store.text = message.text;
  pending.delete(sqlite);
  p.port.close();
}

/** Takes what the thread has sent and not yet been read, now (a request waiting, or the thread ended). */
function drain(sqlite: Database.Database, p: Pending): void {
  for (let m = receiveMessageOnPort(p.port); m !== undefined; m = receiveMessageOnPort(p.port)) receive(sqlite, p, m.message as BuildMessage);
}

function abandon(sqlite: Database.Database): void {
  const p = pending.get(sqlite);
  if (!p) return;
  pending.delete(sqlite);
  p.port.close();
  void p.worker.terminate();
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
