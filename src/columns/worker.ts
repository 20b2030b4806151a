import { statSync } from "node:fs";
import { workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import { BUILT, type BuildJob, type BuildMessage, DONE, FAILED } from "./build-job.js";
import { entryLookup, generationOf, loadColumns, loadMetric, storeParts } from "./store.js";
import { buildText } from "./text.js";

/**
 * The column store's background build (registry.ts, warmColumns) in a thread of its own: a
 * read-only connection and one snapshot for the store and its full-text terms, each sent back
 * as soon as it is read, its typed arrays moved, not copied. In a thread, the build's statements
 * (up to ~0.4 s each at 1M) never hold the event loop that serves requests. The strings it makes
 * go with the thread's heap when it ends, but the process still settles 10–20 MB higher than with
 * the build on the serving thread (decision 0006, round 4: most likely glibc keeping the thread's
 * arena, where the arrays sent were allocated).
 */
function run({ path, file, metric, ids, port, signal }: BuildJob): void {
  const say = (message: BuildMessage, state: number, transfer: ArrayBuffer[] = []) => {
    port.postMessage(message, transfer);
    Atomics.store(signal, 0, state);
    Atomics.notify(signal, 0);
  };
  let conn: Database.Database | null = null;
  try {
    conn = new Database(path, { readonly: true, fileMustExist: true });
    // Checked after opening: a file put in its place before this stat is caught, and one put there
    // after it is not what this connection reads.
    const opened = statSync(path);
    if (opened.dev !== file.dev || opened.ino !== file.ino) throw new Error(`${path} is no longer the file the server reads`);
    conn.exec("BEGIN"); // one snapshot from the first read on: the generation's
    const generation = generationOf(conn);
    let entries: { n: number; entryOf: (id: number) => number };
    if (ids) entries = { n: ids.length, entryOf: entryLookup(ids) };
    else {
      const store = loadColumns(conn);
      store.metrics.set(metric, loadMetric(conn, store, metric));
      // The terms are read after the store is sent, and its ids go with it: they keep a copy.
      entries = { n: store.n, entryOf: entryLookup(store.ids.slice()) };
      const { parts, transfer } = storeParts(store);
      say({ kind: "store", generation, parts }, BUILT, transfer);
    }
    const steps = buildText(conn, entries);
    let step = steps.next();
    while (!step.done) step = steps.next();
    const text = step.value;
    say({ kind: "text", generation, text }, DONE, [text.at.buffer as ArrayBuffer, ...[...text.bits.values()].map((b) => b.buffer as ArrayBuffer)]);
  } catch (err) {
    say({ kind: "error", message: err instanceof Error ? err.message : String(err) }, FAILED);
  } finally {
    if (conn?.open) conn.close();
    port.close();
  }
}

run(workerData as BuildJob);
