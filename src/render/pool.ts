import type { Worker } from "node:worker_threads";
import { ApiError } from "../api/problem.js";
import { startWorker } from "../worker-thread.js";
import type { EarlyPart, RenderJob } from "./render-brief.js";
import type { RenderReply, RenderRequest } from "./worker.js";

export type RenderPoolOptions = {
  /** A worker is replaced after this many jobs: whatever jsdom or Plot keep is dropped with it. */
  maxJobsPerWorker?: number;
  /** V8 old-space cap of the worker; a brief that needs more is refused (400), the server lives on. */
  maxHeapMb?: number;
  /** A job running longer is stopped with its worker (503). */
  timeoutMs?: number;
  /** An idle worker is ended after this long, giving its memory back. */
  idleMs?: number;
};

type Pending = { worker: Worker; resolve: (text: string) => void; reject: (err: unknown) => void };

/**
 * Renders briefs in a worker thread, so jsdom and Plot (tens of milliseconds to seconds of
 * synchronous work) never hold the event loop that answers /health and the API. One worker, started
 * on the first job, ended when idle or after `maxJobsPerWorker` jobs (bounded memory), with a heap
 * cap and a time limit per job (bounded cost). Jobs are answered in order; how many run and wait
 * at once is the caller's render queue.
 */
export function renderPool({ maxJobsPerWorker = 500, maxHeapMb = 512, timeoutMs = 60_000, idleMs = 30_000 }: RenderPoolOptions = {}) {
  let worker: Worker | null = null;
  let jobs = 0;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  let idleTimer: NodeJS.Timeout | undefined;

  const retire = (w: Worker) => {
    if (worker === w) worker = null;
    void w.terminate();
  };
  // The jobs a worker was given fail with it; a replacement's jobs are not its.
  const failAll = (w: Worker, err: unknown) => {
    for (const [id, p] of pending) {
      if (p.worker !== w) continue;
      pending.delete(id);
      p.reject(err);
    }
  };
  const busy = (w: Worker) => [...pending.values()].some((p) => p.worker === w);

  function start(): Worker {
    const w = startWorker("render-worker", new URL("./worker.ts", import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: maxHeapMb } });
    jobs = 0;
    w.on("message", (reply: RenderReply) => {
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if ("text" in reply) p.resolve(reply.text);
      else p.reject(new Error(`brief render failed in the worker: ${reply.error}`));
      if (!busy(w)) settle(w);
    });
    w.on("error", (err: Error & { code?: string }) => {
      if (worker === w) worker = null;
      failAll(
        w,
        err.code === "ERR_WORKER_OUT_OF_MEMORY"
          ? new ApiError(400, `This brief is too large to draw (its drawing needs over ${maxHeapMb} MB): ask for a narrower organ, or for format=json`, "organ")
          : err,
      );
    });
    w.on("exit", (code) => {
      if (worker === w) worker = null;
      failAll(w, new Error(`the render worker exited (code ${code}) with jobs unanswered`));
    });
    return w;
  }

  /** After the last answered job: recycle a worker that has done its share, or end it once idle. */
  function settle(w: Worker) {
    // Idle, it is never what keeps a process (a test, a script) alive; busy, it is (see render).
    w.unref();
    if (jobs >= maxJobsPerWorker) return retire(w);
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => !busy(w) && retire(w), idleMs);
    idleTimer.unref();
  }

  function render(job: RenderJob, id = nextId++): Promise<string> {
    clearTimeout(idleTimer);
    if (!worker) worker = start();
    const w = worker;
    w.ref();
    jobs++;
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (!pending.has(id)) return;
        pending.delete(id);
        reject(new ApiError(503, `Drawing this brief took over ${timeoutMs / 1000} s and was stopped; try again later or choose an organ`, undefined, 30));
        // Its worker is still busy with it: replaced, and the jobs behind it fail with it.
        retire(w);
        failAll(w, new ApiError(503, "The render worker was restarted; try again", undefined, 2));
      }, timeoutMs);
      timer.unref();
      const done = <T>(f: (v: T) => void) => (v: T) => {
        clearTimeout(timer);
        f(v);
      };
      pending.set(id, { worker: w, resolve: done(resolve), reject: done(reject) });
      w.postMessage({ id, job } satisfies RenderRequest);
    });
  }

  /**
   * A job whose parts are sent ahead while the rest is read (getBrief's BriefParts): the worker
   * draws them in parallel with this thread, and the job then only writes the page. A worker
   * replaced in between (recycled, timed out) gets the whole job, drawn from scratch; parts sent
   * for a job that is never finished are dropped by the worker (it keeps a few).
   */
  function begin() {
    if (!worker) {
      worker = start();
      settle(worker); // idle until the job itself is sent
    }
    const w = worker;
    const id = nextId++;
    return {
      early: (part: EarlyPart) => {
        if (worker === w) w.postMessage({ id, early: part } satisfies RenderRequest);
      },
      finish: (job: RenderJob) => render(job, id),
    };
  }

  return {
    render: (job: RenderJob) => render(job),
    begin,
    /** Ends the worker (tests; a server ends with its process). */
    close: async () => {
      clearTimeout(idleTimer);
      const w = worker;
      worker = null;
      if (!w) return;
      failAll(w, new Error("the render pool was closed"));
      await w.terminate();
    },
  };
}
