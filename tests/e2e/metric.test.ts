import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DERM_EYE_AUC, seededWithDermEye } from "../web/derm-eye.js";
import { type Harness, openDashboard, SCREENSHOTS, settled, skipBrowser, skipReason, start } from "./browser.js";

const AUCS = Object.values(DERM_EYE_AUC).flat();

/**
 * The dashboard and the brief with a second review whose AUC is on the 0–1 scale: with
 * ?metric=auc every figure is an AUC, written as a fraction under the AUC label, never a percent.
 */
describe.skipIf(skipBrowser)(skipBrowser ? `metric pages (skipped: ${skipReason})` : "metric pages in Chromium", { timeout: 60_000 }, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await start(await seededWithDermEye());
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  const open = (path: string, width?: number) => openDashboard(h, path, width);
  const valueSvg = (page: Page) => page.locator("#chart-values-plot > figure > svg");
  /** The value chart's x tick labels as numbers. */
  const ticks = async (page: Page) =>
    (await valueSvg(page).locator('g[aria-label="x-axis tick label"] text').allTextContents()).map((t) => Number(t.replace("−", "-")));

  it("two metrics: the metric control shows, accuracy by default, and choosing AUC puts metric=auc in the URL", async () => {
    const { page, errors } = await open("/");
    expect(await page.locator("#metric-field").isVisible()).toBe(true);
    expect(await page.locator("#f-metric").inputValue()).toBe("accuracy");
    const options = await page.locator("#f-metric option").allTextContents();
    expect(options).toEqual(expect.arrayContaining(["accuracy (30)", "AUC (4)", "sensitivity (1)"]));
    expect(await valueSvg(page).textContent()).toContain("Reported accuracy (%)");
    expect(Math.max(...(await ticks(page)))).toBe(100);
    await page.screenshot({ path: join(SCREENSHOTS, "dashboard-two-reviews.png") });

    await page.locator("#f-metric").selectOption("auc");
    await page.waitForURL(/[?&]metric=auc/);
    await settled(page);
    await expect(page.locator("#chart-values h2").textContent()).resolves.toBe("Reported AUC (0–1) per organ and strategy");
    // Back returns to accuracy.
    await page.goBack();
    await settled(page);
    expect(await page.locator("#f-metric").inputValue()).toBe("accuracy");
    await expect(page.locator("#chart-values h2").textContent()).resolves.toBe("Reported accuracy per organ and strategy");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("?metric=auc: the value chart, its table, the studies table and the recommendations are AUC in 0–1, never percent", async () => {
    const { page, errors } = await open("/?metric=auc&domain=organ%3Aeye");
    expect(errors).toEqual([]);
    expect(await page.locator("#f-metric").inputValue()).toBe("auc");

    // The chart: one dot per AUC, an axis labelled AUC (0–1) running up to 1.
    const svg = valueSvg(page);
    expect(await svg.getAttribute("aria-label")).toBe("Reported AUC per organ and strategy");
    expect(await svg.locator('g[aria-label="dot"] circle').count()).toBe(AUCS.length);
    const axis = (await svg.locator("text").allTextContents()).join(" ");
    expect(axis).toContain("Reported AUC (0–1)");
    expect(axis).not.toContain("%");
    const xs = await ticks(page);
    expect(Math.max(...xs)).toBe(1);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0.9);
    const tooltips = await svg.locator('g[aria-label="dot"] circle title').allTextContents();
    expect(tooltips.every((t) => /; AUC 0\.9\d+$/.test(t))).toBe(true);

    // The chart's data table: AUC figures in 0–1.
    const alt = page.locator("#chart-values-alt table");
    expect(await alt.locator("caption").textContent()).toBe("Reported AUC (0–1) per organ and strategy (from /v1/stats)");
    expect(await alt.locator("thead th").allTextContents()).toContain("Studies with AUC");
    const eye = (await alt.locator("tbody tr", { hasText: "eye · fine-tuning" }).locator("td").allTextContents()).join(" | ");
    expect(eye).toBe("2 | 0.976 | 0.968 – 0.983 | 0.961 – 0.991");
    expect(await alt.textContent()).not.toContain("%");

    // The studies table: an AUC column (not sortable: the API sorts by accuracy only) with each study's AUC or "not reported".
    const heads = await page.locator("#studies-head th").allTextContents();
    expect(heads).toContain("AUC (0–1)");
    expect(heads).not.toContain("Accuracy");
    expect(await page.locator('#studies-head button[data-sort*="accuracy"]').count()).toBe(0);
    expect(await page.locator("#sort option").allTextContents()).toContain("Highest accuracy");
    const cells = await page.locator('#studies-body td[data-label="AUC (0–1)"]').allTextContents();
    expect(cells).toHaveLength(10);
    for (const c of cells) expect(c).toMatch(/^(0\.9\d+|not reported)$/);

    // The recommendations for the eye: ranked by AUC, in 0–1.
    const ranked = page.locator("#recommend-body table").first();
    await ranked.waitFor();
    expect(await ranked.locator("thead th").allTextContents()).toContain("Median AUC (0–1)");
    expect(await ranked.locator("tbody tr", { hasText: "fine-tuning" }).locator("td").nth(2).textContent()).toBe("0.976");
    expect(await page.locator("#recommend-body").textContent()).not.toMatch(/\d%/);

    await page.screenshot({ path: join(SCREENSHOTS, "dashboard-auc.png"), fullPage: true });
    await page.screenshot({ path: join(SCREENSHOTS, "dashboard-auc-top.png") });
    await page.close();
  });

  it("the brief page for metric=auc names AUC and shows 0.9xx figures with its chart on 0–1", async () => {
    const page = await h.context.newPage();
    await page.setViewportSize({ width: 900, height: 1200 });
    await page.goto(`${h.base}/brief?metric=auc`);
    expect(await page.locator("#brief-metric").inputValue()).toBe("auc");
    const figures = await page.locator(".figures").textContent();
    expect(figures).toContain("0.960");
    expect(figures).toContain("median reported AUC, 0–1 scale");
    expect(figures).not.toContain("%");
    expect(await page.locator("table thead").textContent()).toContain("Median AUC (0–1)");
    expect(await page.locator(".charts figcaption").allTextContents()).toContain("Reported AUC (0–1) per organ and strategy");
    expect(await page.locator(".charts circle").count()).toBe(AUCS.length);
    await page.screenshot({ path: join(SCREENSHOTS, "brief-auc.png"), fullPage: true });
    // Choosing accuracy in the toolbar and submitting gives the accuracy brief.
    await page.locator("#brief-metric").selectOption("accuracy");
    await Promise.all([page.waitForURL(/metric=accuracy/), page.locator('.toolbar button[type="submit"]').click()]);
    expect(await page.locator(".figures").textContent()).toContain("median reported accuracy");
    await page.screenshot({ path: join(SCREENSHOTS, "brief-two-reviews.png"), fullPage: true });
    await page.close();
  });
});
