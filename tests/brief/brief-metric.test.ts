import { beforeAll, describe, expect, it } from "vitest";
import { type App, createApp } from "../../src/app.js";
import type { Brief } from "../../src/queries/brief.js";
import { DERM_EYE_AUC, seededWithDermEye } from "../web/derm-eye.js";

/** The curated review with the derm-eye review beside it: accuracy in percent, AUC in 0–1. */
let app: App;
beforeAll(async () => {
  app = createApp({ db: await seededWithDermEye() });
}, 60_000);

const get = async (path: string) => {
  const res = await app.request(path);
  expect(res.status, path).toBe(200);
  return res;
};
const aucs = Object.values(DERM_EYE_AUC).flat();
// Type-7 median of the four AUCs, 0.94 0.96 0.9605 0.991: the mean of the middle two.
const medianAuc = 0.96025;

/** The visible text of an HTML page without its style sheet and its charts' markup. */
const words = (html: string) =>
  html
    .replace(/<style>[\s\S]*?<\/style>/g, "")
    .replace(/<svg[\s\S]*?<\/svg>/g, "")
    .replace(/<[^>]+>/g, " ");

// The first HTML brief loads jsdom, Plot and citation-js: on two busy shared cores that can take 20 s.
describe("the brief on a 0–1 metric (metric=auc, with a second review imported)", { timeout: 60_000 }, () => {
  it("JSON: scope names AUC on the fraction scale; figures and chart rows are the AUCs, 0–1", async () => {
    const brief = (await (await get("/v1/brief?metric=auc")).json()) as Brief;
    expect(brief.scope).toMatchObject({ organ: null, metric: "auc", scale: "fraction" });
    expect(brief.figures.summary.n).toBe(aucs.length);
    expect(brief.figures.summary.median).toBeCloseTo(medianAuc, 4);
    expect(brief.figures.summary.max).toBe(Math.max(...aucs));
    const valued = brief.studies.filter((s) => s.value !== null);
    expect(valued.map((s) => s.value).sort()).toEqual([...aucs].sort());
    expect(brief.studies.every((s) => s.metric === "auc")).toBe(true);
    expect(valued.every((s) => s.valueText !== null && !s.valueText.includes("%"))).toBe(true);
  });

  it("HTML: headings, key figures, table and chart say AUC (0–1) and show 0.9xx, never a percent", async () => {
    const html = await (await get("/v1/brief?metric=auc&format=html")).text();
    const text = words(html);
    expect(text).toContain("median reported AUC, 0–1 scale (4 studies)");
    expect(text).toContain("middle half of the AUC values");
    expect(text).toContain("Median AUC (0–1)");
    expect(text).toContain("Reported AUC (0–1) per organ and strategy");
    expect(text).toContain("AUC values on a 0–1 scale as printed in the reviews");
    expect(text).toMatch(/<b>0\.960<\/b>|\b0\.960\b/);
    expect(text).not.toMatch(/accuracy/i);
    // No figure anywhere on the page (key figures, table, trends, caveats) reads as a percentage.
    expect(text).not.toMatch(/\d\s?%/);
    // The value chart: its axis is AUC on 0–1 with one dot per AUC, every tick a fraction.
    const chart = html.match(/<svg[^>]*aria-label="Reported AUC per organ and strategy"[\s\S]*?<\/svg>/)?.[0] ?? "";
    expect(chart).toContain("Reported AUC (0–1)");
    expect((chart.match(/<circle/g) ?? []).length).toBe(aucs.length);
    const ticks = [...chart.matchAll(/<g aria-label="x-axis tick label"[\s\S]*?<\/g>/g)][0]?.[0].match(/>([\d.]+)</g) ?? [];
    expect(ticks.length).toBeGreaterThan(1);
    for (const t of ticks) expect(Number(t.slice(1, -1))).toBeLessThanOrEqual(1);
  });

  it("Markdown: the key figure and the table header name AUC (0–1); the figures are fractions", async () => {
    const md = await (await get("/v1/brief?metric=auc&format=markdown")).text();
    expect(md).toContain("- Median reported AUC (0–1) **0.960** (middle half 0.955–0.968, range 0.940–0.991; 4 studies report it)");
    expect(md).toContain("| Strategy | Studies | Median AUC (0–1) | Middle half | Range | Latest year |");
    expect(md).toContain("| fine-tuning | 18 | 0.960 | 0.955–0.968 | 0.940–0.991 |");
    expect(md).toContain("![Reported AUC (0–1) per organ and strategy");
  });

  it("an organ whose studies report no AUC: a note in place of the value chart, no empty axis", async () => {
    const html = await (await get("/v1/brief?organ=brain&metric=auc&format=html")).text();
    expect(html).toContain("No study in this brief reports AUC.");
    expect(html).not.toContain("<circle");
    expect(words(html)).toContain("Median AUC (0–1)");
  });

  it("the default is still accuracy on the percent scale, with both reviews", async () => {
    const brief = (await (await get("/v1/brief")).json()) as Brief;
    expect(brief.scope).toMatchObject({ metric: "accuracy", scale: "percent" });
    const text = words(await (await get("/v1/brief?format=html")).text());
    expect(text).toContain("median reported accuracy (");
    expect(text).toContain("Median accuracy");
    expect(text).not.toContain("AUC");
  });

  it("/brief?metric=auc: the page keeps the metric in its chooser and its links", async () => {
    const html = await (await get("/brief?metric=auc&organ=eye")).text();
    expect(html).toContain('<option value="auc" selected>AUC</option>');
    expect(html).toContain('href="/?organ=eye&amp;metric=auc"');
    expect(html).toContain('href="/v1/brief?format=markdown&amp;organ=eye&amp;metric=auc"');
    expect(words(html)).toContain("median reported AUC, 0–1 scale (2 studies)");
  });

  it("/brief with a metric no study reports is a problem+json 400 naming metric", async () => {
    const res = await app.request("/brief?metric=kappa");
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(((await res.json()) as { parameter?: string }).parameter).toBe("metric");
  });
});

describe("GET /brief: the chooser's 'whole review' option", { timeout: 60_000 }, () => {
  it("organ= (empty, as the form sends it) is the whole review, not a 400", async () => {
    const html = await (await get("/brief?organ=&metric=accuracy")).text();
    expect(html).toContain("Transfer learning in medical imaging: evidence brief");
    const organs = html.match(/<select id="brief-organ"[\s\S]*?<\/select>/)?.[0];
    expect(organs).toContain('<option value="">The whole review</option>');
    expect(organs).not.toContain(" selected");
  });
});
