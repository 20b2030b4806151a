import type { Brief } from "../queries/brief.js";
import type { BriefToolbar } from "../web/brief/html.js";

/** What a render worker is asked for: the brief read on the main thread, and how to write it. */
export type RenderJob = { format: "markdown" | "html"; brief: Brief; toolbar?: BriefToolbar };

/**
 * Writes a brief as Markdown or HTML with whatever src/web/brief exports. Runs in the render
 * worker (src/render/worker.ts); the renderers load jsdom, Observable Plot and citation-js (about a
 * second of imports), so they are imported on the first job, not when the worker starts.
 */
export async function renderBrief(job: RenderJob): Promise<string> {
  if (job.format === "markdown") return (await import("../web/brief/markdown.js")).briefMarkdown(job.brief);
  return (await import("../web/brief/html.js")).briefHtml(job.brief, job.toolbar ? { toolbar: job.toolbar } : {});
}
