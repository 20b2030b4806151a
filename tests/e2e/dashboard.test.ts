import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, openDashboard, SCREENSHOTS, settled, skipBrowser, skipReason, start } from "./browser.js";

type StudyList = { meta: { count: number }; results: { accuracy: unknown; citation: { reference_id: number | null } | null }[] };

// A browser on two shared cores can be slow: 60 s per test, not the in-process default of 20 s.
describe.skipIf(skipBrowser)(skipBrowser ? `dashboard (skipped: ${skipReason})` : "dashboard in Chromium", { timeout: 60_000 }, () => {
  let h: Harness;
  const api = async (path: string) => (await fetch(`${h.base}${path}`)).json() as Promise<StudyList>;

  beforeAll(async () => {
    h = await start();
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  const open = (path: string, width?: number) => openDashboard(h, path, width);

  const dots = (page: Page) => page.locator('#chart-values-plot g[aria-label="dot"] circle').count();
  const yearBlocks = (page: Page) => page.locator('#chart-years-plot g[aria-label="bar"] rect').count();

  it("loads the whole review with no console errors: three labelled charts, one mark per study", async () => {
    const all = await api("/v1/studies?limit=500");
    const { page, errors } = await open("/");
    expect(errors).toEqual([]);
    expect(all.meta.count).toBe(24);
    expect(await dots(page)).toBe(all.results.filter((s) => s.accuracy !== null).length);
    expect(await yearBlocks(page)).toBe(all.meta.count);
    for (const id of ["chart-years", "chart-values", "chart-backbones"]) {
      const fig = page.locator(`#${id}`);
      await expect(fig.locator("h2").textContent()).resolves.toMatch(/\w/);
      // Plot writes axis labels as text; the legend is a swatch list; the text alternative is a table.
      // The chart's own SVG (a direct child of Plot's figure; the legend swatches are SVGs too).
      const chart = fig.locator(`#${id}-plot > figure > svg`);
      expect(await chart.getAttribute("aria-label")).toBeTruthy();
      expect(await chart.getAttribute("aria-description")).toBeTruthy();
      expect(await fig.locator('[class$="-swatches"], [class*="-swatches "]').count()).toBeGreaterThan(0);
      expect(await fig.locator(`#${id}-alt table tbody tr`).count()).toBeGreaterThan(0);
    }
    const axisText = await page.locator("#chart-values-plot > figure > svg").textContent();
    expect(axisText).toContain("Reported accuracy (%)");
    // With accuracy the only metric there is nothing to choose: no metric control, the page as it always was.
    expect(await page.locator("#metric-field").isVisible()).toBe(false);
    await expect(page.locator("#chart-values h2").textContent()).resolves.toBe("Reported accuracy per organ and strategy");
    expect(await page.locator("#studies-head th").allTextContents()).toContain("Accuracy");
    expect(await page.locator('#studies-head button[data-sort="accuracy"]').count()).toBe(1);
    expect(await page.locator("#chart-years-plot > figure > svg").textContent()).toContain("Studies (count)");
    await expect(page.locator("#studies-count").textContent()).resolves.toContain(`of ${all.meta.count} studies`);
    expect(await page.locator("#studies-body tr").count()).toBe(10);
    await page.screenshot({ path: join(SCREENSHOTS, "dashboard-desktop.png"), fullPage: true });
    // The first screenful, as the README shows it (copied to docs/dashboard.png by hand when the page changes).
    await page.screenshot({ path: join(SCREENSHOTS, "dashboard-desktop-top.png") });
    await page.close();
  });

  it("changing the organ filter changes the charts, the table count and the URL; reload restores it; Back returns", async () => {
    const lung = await api("/v1/studies?organ=lung&limit=500");
    expect(lung.meta.count).toBeGreaterThan(0);
    const { page, errors } = await open("/");
    await page.locator('select[name="organ"]').selectOption("lung");
    await page.waitForURL(/[?&]organ=lung/);
    await settled(page);
    expect(await dots(page)).toBe(lung.results.filter((s) => s.accuracy !== null).length);
    expect(await yearBlocks(page)).toBe(lung.meta.count);
    await expect(page.locator("#studies-count").textContent()).resolves.toContain(`of ${lung.meta.count} stud`);
    expect(await page.locator("#studies-body tr").count()).toBe(lung.meta.count);
    // The recommendations panel follows the organ filter.
    await page.locator("#recommend-body table").first().waitFor();

    await page.reload();
    await settled(page);
    expect(await page.locator('select[name="organ"]').inputValue()).toBe("lung");
    expect(await dots(page)).toBe(lung.results.filter((s) => s.accuracy !== null).length);

    await page.goBack();
    await settled(page);
    expect(new URL(page.url()).search).toBe("");
    expect(await page.locator('select[name="organ"]').inputValue()).toBe("");
    expect(await yearBlocks(page)).toBe(24);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the filters work from the keyboard", async () => {
    const { page } = await open("/");
    await page.locator('select[name="strategy"]').focus();
    await page.keyboard.press("ArrowDown");
    await page.waitForURL(/strategy=fine-tuning/);
    await settled(page);
    const fine = await api("/v1/studies?strategy=fine-tuning&limit=500");
    expect(await yearBlocks(page)).toBe(fine.meta.count);
    await page.locator('input[name="q"]').focus();
    await page.keyboard.type("mammographic");
    await page.keyboard.press("Enter");
    await page.waitForURL(/q=mammographic/);
    await settled(page);
    const found = await api("/v1/studies?strategy=fine-tuning&q=mammographic&limit=500");
    await expect(page.locator("#studies-count").textContent()).resolves.toMatch(found.meta.count === 0 ? /No studies/ : new RegExp(`of ${found.meta.count} stud`));
    await page.close();
  });

  it("stacks by organ and picks a condition for the recommendations, both kept in the URL", async () => {
    const { page, errors } = await open("/");
    await page.locator('input[name="series"][value="organ"]').check();
    await page.waitForURL(/series=organ/);
    await settled(page);
    const legend = await page.locator("#chart-years-plot").textContent();
    for (const organ of ["brain", "heart", "breast", "lung"]) expect(legend).toContain(organ);
    expect(await yearBlocks(page)).toBe(24);

    await page.locator("#domain").selectOption("condition:brain tumor");
    await page.waitForURL(/domain=condition%3Abrain(\+|%20)tumor/);
    const rec = (await (await fetch(`${h.base}/v1/recommendations?condition=brain%20tumor`)).json()) as { strategies: { name: string }[] };
    await page.locator("#recommend-body table").first().waitFor();
    const names = await page.locator("#recommend-body table").first().locator("tbody th").allTextContents();
    expect(names.map((n) => n.replace(" (thin evidence)", ""))).toEqual(rec.strategies.map((s) => s.name));
    await page.reload();
    await settled(page);
    expect(await page.locator("#domain").inputValue()).toBe("condition:brain tumor");
    expect(await page.locator('input[name="series"][value="organ"]').isChecked()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("downloads the current view: CSV rows and BibTeX/RIS entries match the filtered studies", async () => {
    const heart = await api("/v1/studies?organ=heart&limit=500");
    const cited = new Set(heart.results.map((s) => s.citation?.reference_id).filter((id) => id != null));
    const { page } = await open("/?organ=heart");

    const [csv] = await Promise.all([page.waitForEvent("download"), page.locator("#download-csv").click()]);
    const rows = readFileSync((await csv.path())!, "utf8").trim().split("\n");
    expect(rows[0]).toMatch(/^id,organ,/);
    expect(rows.length - 1).toBe(heart.meta.count);
    expect(rows.slice(1).every((r) => r.split(",")[1] === "heart")).toBe(true);

    const [bib] = await Promise.all([page.waitForEvent("download"), page.locator("#download-bibtex").click()]);
    expect(bib.suggestedFilename()).toBe("references.bib");
    expect(bib.url()).toContain("/v1/studies/references?organ=heart&format=bibtex");
    const bibtex = readFileSync((await bib.path())!, "utf8");
    expect(bibtex.match(/^@\w+\{/gm)?.length).toBe(cited.size);
    const [ris] = await Promise.all([page.waitForEvent("download"), page.locator("#download-ris").click()]);
    expect(readFileSync((await ris.path())!, "utf8").match(/^TY {2}- /gm)?.length).toBe(cited.size);
    await page.close();
  });

  it("pages and sorts the studies table through the API's cursor", async () => {
    const { page } = await open("/?sort=-accuracy");
    const top = await page.locator("#studies-body tr").first().getAttribute("data-study-id");
    const best = await api("/v1/studies?sort=-accuracy&limit=1");
    expect(Number(top)).toBe((best.results[0] as unknown as { id: number }).id);
    await page.locator("#page-next").click();
    await settled(page);
    await expect(page.locator("#studies-count").textContent()).resolves.toContain("Showing 11–20 of 24");
    await page.locator("#page-prev").click();
    await settled(page);
    await expect(page.locator("#studies-count").textContent()).resolves.toContain("Showing 1–10 of 24");
    // Opening a row's cited work shows the work's title from /v1/references.
    const details = page.locator("#studies-body tr").first().locator("details");
    await details.locator("summary").click();
    await details.locator(".work strong").waitFor();
    expect((await details.locator(".work strong").textContent())?.length).toBeGreaterThan(10);
    await page.close();
  });

  it("says so when an organ has no studies (kidney), and shows the API's caveat", async () => {
    const { page, errors } = await open("/?organ=kidney");
    await expect(page.locator("#empty").isVisible()).resolves.toBe(true);
    await expect(page.locator("#empty-text").textContent()).resolves.toMatch(/kidney/i);
    await expect(page.locator(".charts").isVisible()).resolves.toBe(false);
    await page.locator("#recommend-body .caveats li").first().waitFor();
    expect(await page.locator("#recommend-body .caveats").textContent()).toMatch(/kidney|no stud/i);
    await page.screenshot({ path: join(SCREENSHOTS, "dashboard-kidney.png") });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows the API's error when a parameter is bad", async () => {
    const { page } = await open("/?year_from=1800");
    await expect(page.locator("#error").isVisible()).resolves.toBe(true);
    await expect(page.locator("#error").textContent()).resolves.toMatch(/400.*year_from/s);
    await expect(page.locator(".charts").isVisible()).resolves.toBe(false);
    await expect(page.locator("#studies").isVisible()).resolves.toBe(false);
    await page.screenshot({ path: join(SCREENSHOTS, "dashboard-error.png") });
    await page.close();
  });

  it("stays usable at 375 px wide", async () => {
    const { page, errors } = await open("/?organ=brain", 375);
    expect(errors).toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // Each chart is drawn at the width it is shown at: never shrunk into unreadable type.
    const scales = await page.evaluate(() =>
      [...document.querySelectorAll<SVGSVGElement>(".plot > figure > svg")].map((svg) => svg.getBoundingClientRect().width / Number(svg.getAttribute("width"))),
    );
    expect(scales).toHaveLength(3);
    for (const scale of scales) expect(scale).toBeGreaterThan(0.99);
    const brain = await api("/v1/studies?organ=brain&limit=500");
    expect(await yearBlocks(page)).toBe(brain.meta.count);
    await page.screenshot({ path: join(SCREENSHOTS, "dashboard-375.png"), fullPage: true });
    await page.close();
  });
});
