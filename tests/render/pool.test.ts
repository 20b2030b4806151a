import { afterEach, describe, expect, it } from "vitest";
import { ApiError } from "../../src/api/problem.js";
import { getBrief } from "../../src/queries/brief.js";
import { renderPool } from "../../src/render/pool.js";
import { briefHtml } from "../../src/web/brief/html.js";
import { briefMarkdown } from "../../src/web/brief/markdown.js";
import { seededDb } from "../helpers/seeded.js";

const db = seededDb();
const brief = getBrief(db, { organ: "lung", metric: "accuracy" });
const pools: ReturnType<typeof renderPool>[] = [];
const pool = (options: Parameters<typeof renderPool>[0] = {}) => {
  const p = renderPool(options);
  pools.push(p);
  return p;
};
afterEach(async () => {
  for (const p of pools.splice(0)) await p.close();
});

describe("the render worker", { timeout: 60_000 }, () => {
  it("draws what the renderers draw on this thread, for both formats and the page's toolbar", async () => {
    const p = pool();
    const toolbar = { organs: ["brain", "lung"], metrics: ["accuracy"] };
    const [markdown, html, page] = await Promise.all([
      p.render({ format: "markdown", brief }),
      p.render({ format: "html", brief }),
      p.render({ format: "html", brief, toolbar }),
    ]);
    expect(markdown).toBe(briefMarkdown(brief));
    expect(html).toBe(briefHtml(brief));
    expect(page).toBe(briefHtml(brief, { toolbar }));
    expect(page).toContain('<option value="brain">brain</option>');
  });

  it("replaces its worker after maxJobsPerWorker jobs and keeps drawing the same", async () => {
    const p = pool({ maxJobsPerWorker: 2 });
    const expected = briefMarkdown(brief);
    for (let i = 0; i < 3; i++) expect(await p.render({ format: "markdown", brief })).toBe(expected);
  });

  it("a drawing beyond the heap cap is a 400 telling to narrow the brief", async () => {
    // jsdom alone needs more than 4 MB of heap: every drawing runs out.
    const tiny = pool({ maxHeapMb: 4 });
    const err = await tiny.render({ format: "html", brief }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 400, parameter: "organ" });
    expect((err as Error).message).toMatch(/too large to draw.*format=json/);
  });

  it("a drawing over the time limit is a 503 with Retry-After", async () => {
    const p = pool({ timeoutMs: 1 });
    // The first job loads jsdom and Plot in the new worker: far beyond 1 ms.
    const err = await p.render({ format: "markdown", brief }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 503, retryAfter: 30 });
  });
});

describe("parts sent ahead of the job", { timeout: 60_000 }, () => {
  it("give the same page and Markdown as the whole job drawn at once, and an abandoned read's parts are dropped", async () => {
    const p = pool();
    const toolbar = { organs: ["brain", "lung"], metrics: ["accuracy"] };
    // A read that fails after its parts were sent (its job never comes): the next jobs are unaffected.
    const abandoned = p.begin();
    getBrief(db, { organ: "brain" }, { references: (references) => abandoned.early({ format: "html", references }) });
    for (const format of ["html", "markdown"] as const) {
      const ahead = p.begin();
      const parts = { references: [] as unknown[], charts: [] as unknown[] };
      const read = getBrief(db, { organ: "lung", metric: "accuracy" }, {
        references: (references) => {
          parts.references.push(references);
          ahead.early({ format, references });
        },
        charts: (charts) => {
          parts.charts.push(charts);
          ahead.early({ format, charts });
        },
      });
      expect(read).toEqual(brief);
      expect(parts.references).toHaveLength(1);
      expect(parts.charts).toHaveLength(1);
      const text = await ahead.finish(format === "html" ? { format, brief: read, toolbar } : { format, brief: read });
      expect(text).toBe(format === "html" ? briefHtml(brief, { toolbar }) : briefMarkdown(brief));
    }
  });
});
