import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../app.js";
import { cachedMetrics } from "../cache/aggregates.js";
import { BriefSchema, getBrief, type BriefParts } from "../queries/brief.js";
import { getStats } from "../queries/stats.js";
import { readSnapshot } from "../db/snapshot.js";
import { checkMetric, MetricParam } from "./metric.js";
import { problemResponse } from "./problem.js";
import { renderCache } from "./render-cache.js";
import { renderQueue } from "./render-queue.js";
import { renderPool } from "../render/pool.js";
import type { RenderJob } from "../render/render-brief.js";
import type { Db } from "../db/client.js";
import { strictQuery } from "./strict-query.js";

const OrganParam = z.string().trim().min(1).max(100).optional().openapi({
  description: "The organ the brief covers (as /v1/stats?group_by=organ lists them); omit for the whole review",
  example: "lung",
});

export const BriefQuerySchema = z.object({
  organ: OrganParam,
  metric: MetricParam,
  format: z.enum(["json", "markdown", "html"]).default("json").openapi({
    description: "json (the brief's content), markdown (charts as SVG data URIs) or html (a printable page)",
    example: "markdown",
  }),
});
// The page's chooser is a plain form whose "The whole review" option sends organ= (empty): here
// that means the whole review, where the API (/v1/brief) refuses an empty organ.
const PageQuerySchema = z.object({
  organ: z.string().trim().max(100).optional().openapi({ description: "The organ the brief covers; empty or omitted for the whole review", example: "lung" }),
  metric: MetricParam,
});

const route = createRoute({
  method: "get",
  path: "/v1/brief",
  tags: ["aggregates"],
  summary: "A one-page evidence brief for an organ or the whole review",
  description:
    "Key figures, the trend sentences of /v1/trends, the strategy comparison with its caveats, the two main charts and the works cited (APA style). Accuracies come from different tasks and datasets: the brief reports spreads, not winners.",
  middleware: [strictQuery(BriefQuerySchema)] as const,
  request: { query: BriefQuerySchema },
  responses: {
    200: {
      content: {
        "application/json": { schema: BriefSchema },
        "text/markdown": { schema: z.string() },
        "text/html": { schema: z.string() },
      },
      description: "The brief",
    },
    400: problemResponse("A bad or unknown parameter"),
    503: problemResponse("Too many briefs being drawn; retry after the Retry-After seconds"),
  },
});

const page = createRoute({
  method: "get",
  path: "/brief",
  tags: ["pages"],
  summary: "The printable brief as a web page, with a chooser for the organ (and the metric, when the data has several)",
  middleware: [strictQuery(PageQuerySchema)] as const,
  request: { query: PageQuerySchema },
  responses: {
    200: { content: { "text/html": { schema: z.string() } }, description: "The brief page" },
    400: problemResponse("A bad or unknown parameter"),
  },
});

/** Organs the review has studies of; the page's chooser lists them. */
const organsOf = (db: Parameters<typeof getStats>[0]) =>
  getStats(db, { filters: {}, groupBy: ["organ"], metric: "accuracy" }).groups.map((g) => String(g.key.organ));

// Drawing (jsdom and Observable Plot, synchronous) runs in a worker thread (src/render/pool.ts): the
// event loop only reads the brief, in its snapshot, and hands it over, so /health and the API are
// answered while a brief is drawn. One drawing at a time on the two-core machine, a few waiting
// (more are told to come back rather than time out), and each drawn brief kept until the data
// changes, so a crowd asking for one brief costs one drawing.
const queue = renderQueue({ concurrency: 1, maxWaiting: 8 });
const rendered = renderCache();
const pool = renderPool();

/**
 * A drawn brief: from the render cache, or read and drawn once a render slot is free. The read
 * (`read`, on this thread, in a snapshot of its own) waits for the slot too, so a request told to
 * come back (503) costs nothing, and requests waiting hold no brief in memory. The cache is looked
 * up in a snapshot; the brief is read in a later one, at the same data version or a newer one, which
 * only a request at that newer version could be answered with (the cache empties on a new version).
 * The references and the chart data go to the worker as soon as they are read, so it formats and
 * draws them while this thread reads the rest of the brief (decision 0009, round 2).
 */
function drawn(db: Db, key: string, format: RenderJob["format"], read: (parts: BriefParts) => Omit<RenderJob, "format">): Promise<string> {
  return readSnapshot(db, () =>
    rendered(db, key, () =>
      queue(() => {
        const ahead = pool.begin();
        const parts: BriefParts = { references: (references) => ahead.early({ format, references }), charts: (charts) => ahead.early({ format, charts }) };
        return ahead.finish({ format, ...readSnapshot(db, () => read(parts)) });
      }),
    ),
  );
}

export const briefRoutes = new OpenAPIHono<AppEnv>()
  .openapi(route, async (c) => {
    const { organ, format, metric } = c.req.valid("query");
    const db = c.var.db;
    checkMetric(db, metric);
    // The brief is read in one snapshot, then rendered after it (not skipped by snapshotPerRequest).
    if (format === "json") return c.json(readSnapshot(db, () => getBrief(db, { organ, metric })), 200);
    const text = await drawn(db, `${format}|${organ ?? ""}|${metric}`, format, (parts) => ({ brief: getBrief(db, { organ, metric }, parts) }));
    const name = `brief-${organ ?? "review"}`.replace(/[^\w-]+/g, "_");
    if (format === "markdown") {
      return c.body(text, 200, {
        "content-type": "text/markdown; charset=utf-8",
        "content-disposition": `inline; filename="${name}.md"`,
      });
    }
    return c.html(text, 200);
  })
  .openapi(page, async (c) => {
    const { metric } = c.req.valid("query");
    const organ = c.req.valid("query").organ || undefined;
    const db = c.var.db;
    checkMetric(db, metric);
    const html = await drawn(db, `page|${organ ?? ""}|${metric}`, "html", (parts) => {
      const organs = organsOf(db);
      // An organ without studies (kidney) still gets its page: a brief that says there is no evidence.
      const choices = organ && !organs.includes(organ) ? [...organs, organ] : organs;
      const metrics = cachedMetrics(db, null).map((m) => m.metric);
      return { brief: getBrief(db, { organ, metric }, parts), toolbar: { organs: choices, metrics } };
    });
    return c.html(html, 200);
  });
