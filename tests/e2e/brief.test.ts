import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, pdfPages, SCREENSHOTS, skipBrowser, skipReason, start } from "./browser.js";

// A browser on two shared cores can be slow: 60 s per test, not the in-process default of 20 s.
describe.skipIf(skipBrowser)(skipBrowser ? `brief (skipped: ${skipReason})` : "brief in Chromium", { timeout: 60_000 }, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await start();
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it.each([
    ["/brief", "brief-review", 24],
    ["/brief?organ=lung", "brief-lung", 4],
  ])("%s renders with both charts and prints to one A4 page", async (path, name, studies) => {
    const page = await h.context.newPage();
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(e.message));
    await page.setViewportSize({ width: 900, height: 1200 });
    await page.goto(`${h.base}${path}`);
    expect(errors).toEqual([]);
    expect(await page.locator(".charts > figure").count()).toBe(2);
    expect(await page.locator(".charts circle").count()).toBe(studies);
    expect(await page.locator('.charts g[aria-label="bar"] rect').count()).toBe(studies);
    expect(await page.locator("ul.refs li").count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

    // The print layout hides the toolbar; everything else fits one A4 page.
    await page.emulateMedia({ media: "print" });
    expect(await page.locator(".toolbar").isVisible()).toBe(false);
    const pdf = await page.pdf({ format: "A4", printBackground: true, preferCSSPageSize: true });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdfPages(pdf)).toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-print.png`), fullPage: true });
    await page.close();
  });

  it("the organ chooser works without a script: submitting it loads that organ's brief", async () => {
    const page = await h.context.newPage();
    await page.goto(`${h.base}/brief`);
    await page.locator('select[name="organ"]').selectOption("heart");
    await Promise.all([page.waitForURL(/organ=heart/), page.locator('.toolbar button[type="submit"]').click()]);
    await expect(page.locator("h1").textContent()).resolves.toContain("heart");
    await page.close();
  });
});
