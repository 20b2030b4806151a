import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, SCREENSHOTS, skipBrowser, skipReason, start } from "./browser.js";

// The pages under their Content-Security-Policy in a real browser: nothing refused, and each still
// draws what it is for (the dashboard's charts, Swagger UI's operations, the brief's print button).
describe.skipIf(skipBrowser)(skipBrowser ? `CSP (skipped: ${skipReason})` : "pages under the CSP in Chromium", { timeout: 60_000 }, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await start();
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it.each([
    ["/", "csp-dashboard", "#chart-values-plot svg"],
    ["/docs", "csp-docs", ".opblock"],
    ["/brief?organ=lung", "csp-brief", ".charts svg"],
  ])("%s runs with no policy violation", async (path, name, ready) => {
    const page = await h.context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || /Content Security Policy/i.test(m.text())) problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(e.message));
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
    const res = await page.goto(`${h.base}${path}`);
    expect(res?.headers()["content-security-policy"]).toContain("script-src 'self'");
    await page.locator(ready).first().waitFor({ timeout: 30_000 });
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: path !== "/docs" });
    // A reload revalidates the page (a 304), whose headers must leave the page's policy in force.
    await page.reload();
    await page.locator(ready).first().waitFor({ timeout: 30_000 });
    expect(problems).toEqual([]);
    await page.close();
  });

  it("the brief's print button still prints (wired by its script, not an inline handler)", async () => {
    const page = await h.context.newPage();
    await page.goto(`${h.base}/brief`);
    await page.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => {
        (window as unknown as { printed: number }).printed++;
      };
    });
    await page.locator("[data-print]").click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    await page.close();
  });
});
