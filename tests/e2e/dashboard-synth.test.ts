import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../src/db/client.js";
import { synthesize } from "../../src/synth/write.js";
import type { Brief } from "../../src/queries/brief.js";
import { type Harness, pdfPages, SCREENSHOTS, settled, skipBrowser, skipReason, start } from "./browser.js";

// Above DOTS_MAX (500) by far, so every chart must come from the aggregates; two synthetic reviews
// (one per 10,000 studies), built in about a second.
const STUDIES = 20_000;

type Group = { key: Record<string, string | number | null>; count: number; summary: { n: number } };
type Stats = { meta: { count: number }; groups: Group[] };
type Reviews = { results: { id: string; title: string; studies: number; organs: Record<string, number> }[] };

describe.skipIf(skipBrowser)(skipBrowser ? `dashboard at ${STUDIES} studies (skipped: ${skipReason})` : `dashboard in Chromium at ${STUDIES} synthetic studies`, { timeout: 120_000 }, () => {
  let h: Harness;
  let dir: string;
  const api = async <T>(path: string) => (await fetch(`${h.base}${path}`)).json() as Promise<T>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "litreview-views-"));
    synthesize({ studies: STUDIES, out: join(dir, "synth.db"), seed: 11 });
    h = await start(openDb(join(dir, "synth.db")));
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Opens a view, recording every request the page makes and every console error. */
  async function open(path: string) {
    const page = await h.context.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${h.base}${path}`);
    await settled(page);
    await page.waitForLoadState("networkidle");
    return { page, requests, errors };
  }
  const studyPagesOf = (requests: string[]) => requests.filter((u) => /\/v1\/studies\?.*limit=500/.test(u));
  const count = (n: number) => n.toLocaleString("en");
  // A faceted mark is a group per facet: count the shapes inside, whatever the nesting.
  const SHAPES: Record<string, string> = { bar: "rect", dot: "circle", tick: "line", text: "text" };
  const marks = (page: Page, id: string, mark: string) => page.locator(`#${id}-plot > figure > svg g[aria-label="${mark}"] ${SHAPES[mark]}`).count();

  it("the whole base: three charts from the aggregates, true counts, no study downloaded, few requests", async () => {
    const { page, requests, errors } = await open("/");
    expect(errors).toEqual([]);
    expect(requests.length).toBeLessThanOrEqual(60);
    expect(studyPagesOf(requests)).toEqual([]);

    const reviews = await api<Reviews>("/v1/reviews");
    const total = reviews.results.reduce((t, r) => t + r.studies, 0);
    expect(total).toBe(STUDIES);
    expect(reviews.results.length).toBeGreaterThan(1);
    await expect(page.locator("#source").textContent()).resolves.toBe(`${reviews.results.length} reviews · ${count(total)} studies`);
    await expect(page.locator("#studies-count").textContent()).resolves.toBe(`Showing 1–10 of ${count(STUDIES)} studies`);

    // Years: one bar per year × strategy cell of /v1/stats; values: one box and one n per group.
    const years = await api<Stats>("/v1/stats?group_by=year,strategy");
    expect(await marks(page, "chart-years", "bar")).toBe(years.groups.filter((g) => g.key.year !== null).length);
    const groups = (await api<Stats>("/v1/stats?group_by=organ,strategy")).groups.filter((g) => g.summary.n > 0);
    expect(await marks(page, "chart-values", "dot")).toBe(0);
    const labels = await page.locator('#chart-values-plot > figure > svg g[aria-label="text"] text').allTextContents();
    // Each label and its hover title: the group's n beside its count of studies.
    const expected = groups.map(
      (g) => `n=${count(g.summary.n)}${g.key.organ}, ${g.key.strategy ?? "not stated"}: ${count(g.summary.n)} of ${count(g.count)} studies report accuracy`,
    );
    expect(labels.sort()).toEqual(expected.sort());
    expect(await marks(page, "chart-values", "tick")).toBe(groups.length);
    const backbones = await api<Stats>("/v1/stats?group_by=backbone");
    expect(await page.locator("#chart-backbones-alt tbody tr").count()).toBe(backbones.groups.length);
    await expect(page.locator("#chart-values-range-key").isVisible()).resolves.toBe(true);
    await expect(page.locator("#chart-values-dot-key").isVisible()).resolves.toBe(false);
    await page.screenshot({ path: join(SCREENSHOTS, "dashboard-synth.png"), fullPage: true });
    await page.close();
  });

  it("the review control lists every review with its count, narrows by a word, and filters by review=", async () => {
    const { page, errors } = await open("/");
    const reviews = (await api<Reviews>("/v1/reviews")).results;
    const select = page.locator("#f-review");
    await expect(page.locator("#review-field").isVisible()).resolves.toBe(true);
    expect(await select.locator("option").count()).toBe(reviews.length + 1);
    const one = reviews.at(-1)!;
    // A word of one title narrows the list to the reviews whose title has it.
    const word = one.title.split(/\s+/).find((w) => w.length > 3)!;
    await page.locator("#f-review-find").fill(word.toLowerCase());
    const shown = await select.locator("option:not([hidden])").allTextContents();
    expect(shown.slice(1).length).toBe(reviews.filter((r) => r.title.toLowerCase().includes(word.toLowerCase())).length);
    await select.selectOption(one.id);
    await page.waitForURL(new RegExp(`[?&]review=${one.id}`));
    await settled(page);
    await expect(page.locator("#source").textContent()).resolves.toBe(one.title);
    await expect(page.locator("#studies-count").textContent()).resolves.toBe(`Showing 1–10 of ${count(one.studies)} studies`);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the recommendations panel answers for the review in view, as the charts do", async () => {
    const one = (await api<Reviews>("/v1/reviews")).results.at(-1)!;
    const organ = Object.keys(one.organs)[0]!;
    const { page, requests, errors } = await open(`/?review=${one.id}&organ=${encodeURIComponent(organ)}`);
    expect(errors).toEqual([]);
    const asked = requests.filter((u) => u.includes("/v1/recommendations?"));
    expect(asked).toHaveLength(1);
    const params = new URL(asked[0]!).searchParams;
    expect([params.get("organ"), params.get("review")]).toEqual([organ, one.id]);
    // The panel's evidence count is the review's own for that organ.
    const rec = await api<{ meta: { count: number } }>(`/v1/recommendations?organ=${encodeURIComponent(organ)}&review=${one.id}`);
    expect(rec.meta.count).toBe(one.organs[organ]);
    await page.close();
  });

  it("a view of at most 500 studies draws one dot per study, from one page of /v1/studies", async () => {
    // The first organ × year cell holding between 1 and 500 studies.
    const cells = await api<Stats>("/v1/stats?group_by=organ,year");
    const cell = cells.groups.find((g) => g.key.year !== null && g.count > 0 && g.count <= 500)!;
    expect(cell).toBeDefined();
    const query = `organ=${cell.key.organ}&year_from=${cell.key.year}&year_to=${cell.key.year}`;
    const { page, requests, errors } = await open(`/?${query}`);
    expect(errors).toEqual([]);
    expect(studyPagesOf(requests)).toHaveLength(1);
    const listed = await api<{ results: { accuracy: unknown }[] }>(`/v1/studies?${query}&limit=500`);
    expect(listed.results).toHaveLength(cell.count);
    expect(await marks(page, "chart-values", "dot")).toBe(listed.results.filter((s) => s.accuracy !== null).length);
    expect(await marks(page, "chart-years", "bar")).toBe(cell.count);
    await page.close();
  });

  it.each([
    ["/brief", "brief-synth"],
    ["/brief?organ=brain", "brief-synth-brain"],
  ])("%s: the charts from the aggregates, 15 works named and the rest counted with their export, one A4 page", async (path, name) => {
    const brief = await api<Brief>(path.replace("/brief", "/v1/brief"));
    expect(brief.figures.studies).toBeGreaterThan(500);
    expect(brief.studies).toEqual([]);
    expect(brief.references).toHaveLength(15);
    expect(brief.reference_count).toBeGreaterThan(15);
    const page = await h.context.newPage();
    await page.setViewportSize({ width: 900, height: 1200 });
    await page.goto(`${h.base}${path}`);
    expect(await page.locator(".charts > figure").count()).toBe(2);
    expect(await page.locator(".charts circle").count()).toBe(0);
    expect(await page.locator('.charts g[aria-label="bar"] rect').count()).toBe(brief.per_year.length);
    expect(await page.locator("ul.refs li").count()).toBe(15);
    await expect(page.locator(".more-refs").textContent()).resolves.toContain(`${count(brief.reference_count - 15)} more are cited in this scope`);
    expect(await page.locator(".more-refs a").evaluateAll((as) => as.map((a) => a.getAttribute("href")))).toEqual([
      brief.reference_export.bibtex,
      brief.reference_export.ris,
    ]);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    await page.emulateMedia({ media: "print" });
    const pdf = await page.pdf({ format: "A4", printBackground: true, preferCSSPageSize: true });
    expect(pdfPages(pdf)).toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-print.png`), fullPage: true });
    await page.close();
  });
});
