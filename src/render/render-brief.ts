import type { Brief, BriefChartData } from "../queries/brief.js";
import type { Reference } from "../queries/references.js";
import type { BriefToolbar } from "../web/brief/html.js";
import type { DrawnParts } from "../web/brief/svg.js";

/** What a render worker is asked for: the brief read on the main thread, and how to write it. */
export type RenderJob = { format: "markdown" | "html"; brief: Brief; toolbar?: BriefToolbar };

/** A part of a brief sent ahead of the whole (getBrief's BriefParts), drawn while the rest is read. */
export type EarlyPart = { format: RenderJob["format"] } & ({ references: Reference[] } | { charts: BriefChartData });

/**
 * Writes a brief as Markdown or HTML with whatever src/web/brief exports. Runs in the render
 * worker (src/render/worker.ts); the renderers load jsdom, Observable Plot and citation-js (about a
 * second of imports), so they are imported on the first job, not when the worker starts.
 * `drawn` holds the parts drawn ahead (drawEarly) from this same brief.
 */
export async function renderBrief(job: RenderJob, drawn: DrawnParts = {}): Promise<string> {
  if (job.format === "markdown") return (await import("../web/brief/markdown.js")).briefMarkdown(job.brief, drawn);
  return (await import("../web/brief/html.js")).briefHtml(job.brief, { drawn, ...(job.toolbar ? { toolbar: job.toolbar } : {}) });
}

/** Draws one early part into `drawn`: the references in APA style, or the two charts at the format's width. */
export async function drawEarly(part: EarlyPart, drawn: DrawnParts): Promise<void> {
  if ("references" in part) {
    drawn.references = (await import("../web/brief/citations.js")).apa(part.references);
    return;
  }
  const { briefCharts, CHART_WIDTH } = await import("../web/brief/svg.js");
  drawn.charts = briefCharts(part.charts, CHART_WIDTH[part.format]);
}
