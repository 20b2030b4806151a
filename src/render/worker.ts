import { parentPort } from "node:worker_threads";
import { renderBrief, type RenderJob } from "./render-brief.js";

export type RenderRequest = { id: number; job: RenderJob };
export type RenderReply = { id: number; text: string } | { id: number; error: string };

// The render worker's entry: one job at a time, answered by id. Bundled as dist/render-worker.js
// (scripts/build.mjs); loaded through tsx from the sources otherwise (src/render/pool.ts).
const port = parentPort;
if (!port) throw new Error("src/render/worker.ts runs as a worker thread (see src/render/pool.ts)");
port.on("message", ({ id, job }: RenderRequest) => {
  renderBrief(job).then(
    (text) => port.postMessage({ id, text } satisfies RenderReply),
    (err: unknown) => port.postMessage({ id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies RenderReply),
  );
});
