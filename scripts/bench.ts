import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { createApp } from "../src/app.js";
import { build, isStale } from "./build.mjs";
import { buildCases } from "../src/bench/cases.js";
import { compileFloor, drain, load, peakRssMb, settle, startServer, stopServer, type Launch, type Load } from "../src/bench/http.js";
import { toMarkdown, type BenchResult, type SizeResult } from "../src/bench/report.js";
import { sideBySide } from "../src/bench/timing.js";
import { columnsWarmed } from "../src/columns/registry.js";
import { DEFAULT_DATA_DIR } from "../src/config.js";
import { migrateDb, openDb } from "../src/db/client.js";
import { openAndLoad } from "../src/db/setup.js";
import { rebuildSummaries, summariesComplete } from "../src/summary/build.js";
import { synthesize } from "../src/synth/write.js";

/**
 * npm run bench -- [--sizes 10k,100k,1M] [--http-sizes 200k,1M] [--seconds 5] [--runs 7] [--budget-ms 1500] [--only text] [--floors on|off]
 * Generates missing corpora with synth (seed 1) into bench-results/, measures in-process and over
 * HTTP, and writes bench-results/bench-<time>.{json,md}.
 */
const SIZE = /^(\d+(?:\.\d+)?)([kKmM]?)$/;
const sizes = z.string().transform((s, ctx) =>
  s.split(",").filter(Boolean).flatMap((x) => {
    const m = x.match(SIZE);
    if (!m) {
      ctx.addIssue({ code: "custom", message: `${x} is not a size like 10k or 1M` });
      return [];
    }
    return [Math.round(Number(m[1]) * ({ k: 1e3, m: 1e6 }[m[2]!.toLowerCase()] ?? 1))];
  }),
);
const Args = z.object({
  sizes: sizes.prefault("10k,100k,1M"),
  "http-sizes": sizes.prefault("200k,1M"),
  seconds: z.coerce.number().min(1).max(30).default(5),
  runs: z.coerce.number().int().min(3).max(1000).default(7),
  "budget-ms": z.coerce.number().min(0).default(1500),
  // Only the in-process cases whose name contains this text (e.g. to rerun the exports).
  only: z.string().default(""),
  // off: the query side alone (the 1M floors of the filtered cases take 11-60 s a run; their
  // figures are in earlier runs' tables, each beside its query measured in the same run).
  floors: z.enum(["on", "off"]).default("on"),
  out: z.string().default("bench-results"),
  seed: z.coerce.number().int().default(1),
});
const { values } = parseArgs({
  options: Object.fromEntries(Object.keys(Args.shape).map((k) => [k, { type: "string" as const }])),
});
const args = Args.parse(values);
const outDir = resolve(args.out);
mkdirSync(outDir, { recursive: true });
const log = (s: string) => process.stderr.write(`${s}\n`);

function corpus(studies: number): string {
  const path = join(outDir, `synth-${studies}-s${args.seed}.db`);
  if (!existsSync(path)) {
    log(`generating ${path} ...`);
    const s = synthesize({ studies, out: path, seed: args.seed, onProgress: (d, t) => process.stderr.write(`\r  ${d}/${t}`) });
    log(`\r  ${studies} studies in ${(s.ms / 1000).toFixed(1)} s`);
  }
  // A corpus written before the summary tables existed (or by another program), or before each
  // group's figures were kept (migration 0008), gets them once: otherwise its uncached stats
  // measure the histogram walk an up-to-date database never takes (123 against ~1,000 req/s at 1M).
  const db = openDb(path);
  migrateDb(db);
  if (!summariesComplete(db.$client)) {
    const t = performance.now();
    rebuildSummaries(db.$client);
    log(`  summaries for ${studies} studies built in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  db.$client.close();
  return path;
}

async function inProcess(studies: number, path: string, result: SizeResult) {
  // A first open may load the curated review into the corpus (a write); the second is the real
  // start-up on an existing database: open, migration check, unchanged-data check, app built.
  openAndLoad(path, DEFAULT_DATA_DIR).db.$client.close();
  const t = performance.now();
  const { db } = openAndLoad(path, DEFAULT_DATA_DIR);
  const app = createApp({ db });
  result.startup = { inProcessMs: performance.now() - t, serverMs: [] };
  // As a server holds it from a few seconds after start: the column store and its full-text terms.
  const w = performance.now();
  await columnsWarmed(db);
  log(`  ${studies} column store and full-text terms built in the background in ${((performance.now() - w) / 1000).toFixed(1)} s`);

  const cases = buildCases(db, app).filter((c) => c.name.includes(args.only));
  const budget = { minRuns: args.runs, maxRuns: 200, budgetMs: args["budget-ms"] };
  for (const c of cases) {
    const { query, floor } = await sideBySide(c.query, args.floors === "on" ? c.floor : null, budget);
    result.cases.push({ group: c.group, name: c.name, query, floor, ratio: floor ? query.median / floor.median : null });
    log(`  ${studies} ${c.name}: ${query.median.toFixed(2)} / ${query.p95.toFixed(2)} ms${floor ? ` (floor ${floor.median.toFixed(2)})` : ""}`);
  }
  db.$client.close();
}

const STARTS = 5;
const LAUNCHES: Launch[] = ["start", "npm start", "tsx", "floor"];
const PAGE = "/v1/studies?organ=brain&limit=50";

/**
 * Spawn→first answer for each way of starting, taken in turn (start, npm start, tsx, floor, start,
 * ...) so the machine's load hits each alike; the idle RSS of the compiled server one second after
 * its first answer.
 */
async function startUps(path: string, result: SizeResult) {
  const byLaunch: Record<string, number[]> = Object.fromEntries(LAUNCHES.map((l) => [l, []]));
  const idle: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    for (const launch of LAUNCHES) {
      const s = await startServer(path, {}, launch);
      byLaunch[launch]!.push(s.firstAnswerMs);
      if (launch === "start") {
        await new Promise((r) => setTimeout(r, 1000));
        idle.push(peakRssMb(s.child.pid, "VmRSS") ?? Number.NaN);
      }
      await stopServer(s);
    }
  }
  result.startup ??= { inProcessMs: Number.NaN, serverMs: [] };
  result.startup.serverMs = byLaunch.start ?? [];
  result.startup.firstAnswerMs = byLaunch;
  result.startup.idleRssMb = idle;
  log(`  start-up to first answer: ${Object.entries(byLaunch).map(([k, v]) => `${k} ${v.map((x) => x.toFixed(0)).join("/")}`).join("; ")} ms; idle RSS ${idle.map((x) => x.toFixed(0)).join("/")} MB`);
}

/** The page's answer from litreview and from the floor: the same studies, or the ratio means nothing. */
async function sameAnswers(ours: string, floor: string): Promise<boolean> {
  const [a, b] = await Promise.all([ours, floor].map(async (url) => (await (await fetch(`${url}${PAGE}`)).json()) as { meta: { count: number }; results: unknown[] }));
  return a!.meta.count === b!.meta.count && JSON.stringify(a!.results) === JSON.stringify(b!.results);
}

async function overHttp(path: string, result: SizeResult) {
  // Built beforehand, so no start-up below includes `npm start`'s rebuild of a stale dist/.
  if (isStale()) await build();
  await compileFloor();
  await startUps(path, result);
  // The uncached loads ask the same questions as the cached one (the Datasette comparison is the
  // same facet query), of a server started with LITREVIEW_CACHE=off: every request runs its query.
  const servers = [
    { env: {}, loads: [["stats cached", "/v1/stats?group_by=organ"]] },
    {
      env: { LITREVIEW_CACHE: "off" },
      loads: [
        ["stats uncached", "/v1/stats?group_by=organ"],
        ["stats uncached (strategy)", "/v1/stats?group_by=strategy"],
      ],
    },
  ] as const;
  for (const { env, loads } of servers) {
    const server = await startServer(path, env);
    try {
      await settle(server);
      for (const [name, url] of loads) {
        await drain(server.url);
        const l = await load(server.url, name, [url], args.seconds);
        result.http.push(l);
        log(`  http ${name}: ${l.rps.toFixed(0)} req/s, p99 ${l.p99} ms`);
      }
      result.serverPeakRssMb = Math.max(result.serverPeakRssMb ?? 0, peakRssMb(server.child.pid) ?? 0);
    } finally {
      await stopServer(server);
    }
  }
  // The page against its floor server, both up at once and loaded in turn, twice in reversed
  // order (ours, floor, floor, ours): each figure is the mean of its two rounds.
  const ours = await startServer(path, { LITREVIEW_CACHE: "off" });
  const floor = await startServer(path, {}, "floor");
  try {
    // Not across the column store's first build, which is no part of a page (see settle).
    await settle(ours);
    result.pageAnswersEqual = await sameAnswers(ours.url, floor.url);
    const rounds: Record<string, Load[]> = { "page uncached": [], "page floor": [] };
    for (const [name, server] of [["page uncached", ours], ["page floor", floor], ["page floor", floor], ["page uncached", ours]] as const) {
      await drain(server.url);
      rounds[name]!.push(await load(server.url, name, [PAGE], args.seconds));
    }
    for (const [name, ls] of Object.entries(rounds)) {
      const mean = (f: (l: Load) => number) => ls.reduce((n, l) => n + f(l), 0) / ls.length;
      result.http.push({ ...ls[0]!, name, requests: mean((l) => l.requests), rps: mean((l) => l.rps), p50: mean((l) => l.p50), p99: mean((l) => l.p99), non2xx: mean((l) => l.non2xx), errors: mean((l) => l.errors) });
      log(`  http ${name}: ${ls.map((l) => `${l.rps.toFixed(0)} req/s p99 ${l.p99} ms`).join(", ")}`);
    }
    result.serverPeakRssMb = Math.max(result.serverPeakRssMb ?? 0, peakRssMb(ours.child.pid) ?? 0);
  } finally {
    await stopServer(ours);
    await stopServer(floor);
  }
}

const result: BenchResult = {
  startedAt: new Date().toISOString(),
  command: `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim(),
  machine: `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  sizes: [],
};
for (const studies of [...new Set([...args.sizes, ...args["http-sizes"]])].sort((a, b) => a - b)) {
  const path = corpus(studies);
  const r: SizeResult = { studies, db: path, cases: [], startup: null, http: [], serverPeakRssMb: null, benchPeakRssMb: 0, pageAnswersEqual: null };
  if (args.sizes.includes(studies)) await inProcess(studies, path, r);
  if (args["http-sizes"].includes(studies)) await overHttp(path, r);
  r.benchPeakRssMb = peakRssMb(process.pid) ?? 0;
  result.sizes.push(r);
}
const stamp = result.startedAt.replace(/[:.]/g, "-");
const md = toMarkdown(result);
writeFileSync(join(outDir, `bench-${stamp}.json`), JSON.stringify(result, null, 2));
writeFileSync(join(outDir, `bench-${stamp}.md`), `${md}\n`);
console.log(md);
