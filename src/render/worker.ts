import { parentPort } from "node:worker_threads";
import { drawEarly, renderBrief, type EarlyPart, type RenderJob } from "./render-brief.js";
import type { DrawnParts } from "../web/brief/svg.js";

/** The whole job, or a part of it sent ahead under the same id (render-brief.ts, EarlyPart). */
export type RenderRequest = { id: number; job: RenderJob } | { id: number; early: EarlyPart };
export type RenderReply = { id: number; text: string } | { id: number; error: string };

/** Parts drawn ahead of jobs not yet sent; a few at most (a read that failed never sends its job). */
const KEPT_AHEAD = 4;

// The render worker's entry: one message at a time, jobs answered by id. Bundled as
// dist/render-worker.js (scripts/build.mjs); loaded through tsx from the sources otherwise (src/render/pool.ts).
const port = parentPort;
if (!port) throw new Error("src/render/worker.ts runs as a worker thread (see src/render/pool.ts)");
const ahead = new Map<number, Promise<DrawnParts>>();
port.on("message", (request: RenderRequest) => {
  const { id } = request;
  if ("early" in request) {
    // A part that fails to draw is drawn again with the job, where its error is reported.
    const drawn = (ahead.get(id) ?? Promise.resolve({})).then((parts) => drawEarly(request.early, parts).then(() => parts, () => parts));
    ahead.set(id, drawn);
    if (ahead.size > KEPT_AHEAD) ahead.delete(ahead.keys().next().value!);
    return;
  }
  const drawn = ahead.get(id) ?? Promise.resolve({});
  ahead.delete(id);
  drawn.then((parts) => renderBrief(request.job, parts)).then(
    (text) => port.postMessage({ id, text } satisfies RenderReply),
    (err: unknown) => port.postMessage({ id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies RenderReply),
  );
});
