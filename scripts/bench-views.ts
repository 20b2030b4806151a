import { mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { serve } from "@hono/node-server";
import { chromium, type Page } from "playwright-core";
import { z } from "zod";
import { createApp } from "../src/app.js";
import { openDb } from "../src/db/client.js";
import { CHROMIUM, CHROMIUM_ARGS } from "../tests/e2e/browser.js";

/**
 * npm run bench:views -- --db /tmp/copy-of-1m.db [--runs 3] [--cache off|on] [--screenshots dir]
 * What a person opening the dashboard and the brief gets at the size of the corpus given: per view,
 * the time to networkidle in Chromium with the bundle already cached, the requests made, the bytes
 * transferred and whether any page of studies was fetched for the charts; then each brief's first
 * answer (nothing getBrief asks is cached, so a scope's first brief is computed whatever --cache
 * says). The server is the app in this process; the column store is built once before timing
 * (the warm-up line says how long). Printed figures, never asserted: the machine is shared.
 */
const Args = z.object({
  db: z.string().min(1),
  runs: z.coerce.number().int().min(1).max(20).default(3),
  screenshots: z.string().optional(),
  // on (default): as npm start serves. The lists every view shares (filter options, reviews,
  // metrics) are warmed by one visit first; a view's first run computes its own answers, the
  // later runs come from the response cache. off: every answer computed on every run.
  cache: z.enum(["on", "off"]).default("on"),
});
const { values } = parseArgs({ options: { db: { type: "string" }, runs: { type: "string" }, screenshots: { type: "string" }, cache: { type: "string" } } });
const args = Args.parse(values);

// The three views of issue 10, and the real review alone inside the base (one mark per study).
const VIEWS = ["/", "/?organ=brain", "/?organ=brain&strategy=fine-tuning&year_from=2015", "/?review=dlmia-2024"];
const BRIEFS = ["/v1/brief", "/v1/brief?organ=brain", "/v1/brief?format=html", "/v1/brief?organ=brain&format=html"];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (t: number) => `${Math.round(t).toLocaleString("en")} ms`;

const db = openDb(args.db, { readOnly: true });
const app = createApp({ db, cache: args.cache === "on" });
const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
  const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
});
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

// The column store is built on the first filtered aggregate after start (decision 0006): paid
// here, once, so the views below measure serving, not the build.
let t = performance.now();
await app.request("/v1/stats?group_by=year,strategy&organ=brain");
console.log(`warm-up (column store build, first filtered aggregate): ${ms(performance.now() - t)}`);

const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

/**
 * A fresh browser profile with only the page's assets in its cache: a visitor who has the bundle,
 * but none of the API's answers (which would otherwise come back as 304s of a few bytes).
 */
async function primedContext() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  for (const asset of ["/assets/dashboard.js", "/assets/dashboard.css"]) await page.goto(`${base}${asset}`);
  await page.close();
  return context;
}

type Visit = { ms: number; requests: number; bytes: number; studyPages: number; slowest: string };
async function visit(page: Page, path: string): Promise<Visit> {
  let requests = 0;
  let studyPages = 0;
  const sizes: Promise<number>[] = [];
  page.on("request", (r) => {
    requests++;
    if (/\/v1\/studies\?.*limit=500/.test(r.url())) studyPages++;
  });
  const durations: [string, number][] = [];
  page.on("requestfinished", (r) => {
    sizes.push(r.sizes().then((s) => s.responseBodySize + s.responseHeadersSize, () => 0));
    durations.push([new URL(r.url()).pathname + new URL(r.url()).search, r.timing().responseEnd]);
  });
  const started = performance.now();
  await page.goto(`${base}${path}`, { waitUntil: "networkidle", timeout: 300_000 });
  // Idle and drawn: the page has also finished its view (no request left to make).
  await page.waitForFunction(() => !document.getElementById("app")?.hasAttribute("aria-busy"), null, { timeout: 300_000 });
  await page.waitForLoadState("networkidle");
  const took = performance.now() - started;
  const bytes = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
  // Where the time went: the three slowest answers of the visit.
  const slowest = durations
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([u, d]) => `${Math.round(d)} ms ${u}`)
    .join("; ");
  return { ms: took, requests, bytes, studyPages, slowest };
}

// The answers every view shares, once: the filter lists, the reviews and the metrics.
{
  const context = await primedContext();
  t = performance.now();
  await visit(await context.newPage(), "/?organ=none");
  console.log(`shared lists (first visit of any view: options, reviews, metrics): ${ms(performance.now() - t)}`);
  await context.close();
}

console.log(`\nDashboard (API caches ${args.cache}; bundle cached; median of runs; 'study pages' = /v1/studies?limit=500 fetched for the charts)`);
for (const path of VIEWS) {
  const runs: Visit[] = [];
  for (let i = 0; i < args.runs; i++) {
    const context = await primedContext();
    const page = await context.newPage();
    runs.push(await visit(page, path));
    if (i === 0 && args.screenshots) {
      mkdirSync(args.screenshots, { recursive: true });
      const name = path === "/" ? "root" : path.replace(/[^\w]+/g, "_");
      await page.screenshot({ path: join(args.screenshots, `views-${name}.png`), fullPage: true });
    }
    await context.close();
  }
  console.log(
    `  ${path.padEnd(52)} networkidle first ${ms(runs[0]!.ms).padStart(9)}, median ${ms(median(runs.map((x) => x.ms))).padStart(9)} (runs: ${runs.map((x) => Math.round(x.ms)).join(", ")})  requests ${runs.map((x) => x.requests).join("/")}  ${(median(runs.map((x) => x.bytes)) / 1024).toFixed(0)} kB  study pages ${runs.map((x) => x.studyPages).join("/")}`,
  );
  console.log(`      slowest answers of the first run, waiting for the server included: ${runs[0]!.slowest}`);
}
if (args.screenshots) {
  const context = await browser.newContext({ viewport: { width: 900, height: 1200 } });
  for (const path of ["/brief", "/brief?organ=brain"]) {
    const page = await context.newPage();
    await page.goto(`${base}${path}`, { timeout: 300_000 });
    await page.emulateMedia({ media: "print" });
    await page.screenshot({ path: join(args.screenshots, `views-${path.replace(/[^\w]+/g, "_")}-print.png`), fullPage: true });
    await page.close();
  }
  await context.close();
}
await browser.close();

console.log(`\nBrief (first answer for each scope; API caches ${args.cache})`);
// The renderers (jsdom, Plot, citation-js) are imported on the first brief drawn: timed apart.
t = performance.now();
await app.request("/v1/brief?organ=teeth&format=html");
console.log(`  renderer imports and first use (the HTML brief of organ=teeth)  ${ms(performance.now() - t)}`);
for (const path of BRIEFS) {
  t = performance.now();
  const res = await app.request(path);
  const body = await res.text();
  console.log(`  ${path.padEnd(40)} ${res.status}  ${ms(performance.now() - t).padStart(10)}  ${(body.length / 1024).toFixed(0)} kB`);
}
server.close();
db.$client.close();
