import { existsSync, mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { createApp } from "../../src/app.js";
import type { Db } from "../../src/db/client.js";
import { seededDb } from "../helpers/seeded.js";

/** Debian's Chromium; never a browser downloaded by `playwright install`. */
export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const inCi = ["true", "1"].includes(String(process.env.CI).toLowerCase());

/**
 * Outside CI a machine without Chromium skips the browser tests (with this reason printed);
 * with CI=true they run and fail, so a CI image that lost its browser cannot pass silently.
 */
export const skipBrowser = !existsSync(CHROMIUM) && !inCi;
export const skipReason = `no Chromium at ${CHROMIUM} (install it with \`apt-get install chromium\`); with CI=true these tests fail instead`;
if (skipBrowser) console.warn(`Skipping the browser tests: ${skipReason}`);

export const SCREENSHOTS = join(import.meta.dirname, "..", "screenshots");

/** Chromium's flags for a headless run on a shared machine (also used by scripts/bench-views.ts). */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export type Harness = { base: string; context: BrowserContext; close: () => Promise<void> };

/**
 * The real app over a fresh seeded database (or the one given, e.g. with a second review
 * imported) on an ephemeral 127.0.0.1 port, and a fresh browser profile.
 */
export async function start(db: Db = seededDb()): Promise<Harness> {
  const app = createApp({ db });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const profile = mkdtempSync(join(tmpdir(), "litreview-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
    args: CHROMIUM_ARGS,
  });
  return {
    base: `http://127.0.0.1:${port}`,
    context,
    close: async () => {
      await context.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Waits until the dashboard has finished loading the evidence (or showing why it could not). */
export const settled = (page: Page) => page.waitForFunction(() => !document.getElementById("app")?.hasAttribute("aria-busy"), null, { timeout: 20_000 });

/** Opens a dashboard page that records every console error and uncaught exception, once it has settled. */
export async function openDashboard(h: Harness, path: string, width = 1280): Promise<{ page: Page; errors: string[] }> {
  const page = await h.context.newPage();
  await page.setViewportSize({ width, height: 900 });
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${h.base}${path}`);
  await settled(page);
  return { page, errors };
}

/** Pages in a PDF Chromium wrote: one "/Type /Page" object per page ("/Pages" is the tree). */
export const pdfPages = (pdf: Buffer) => (pdf.toString("latin1").match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
