import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { z } from "zod";
import { sampleCases, sweepCases } from "../src/bench/sweep-cases.js";
import { discoverData, runSweep, summarize, type Fetcher } from "../src/bench/sweep.js";

/**
 * npm run sweep -- --db /tmp/copy-of-1m.db [--port 4730] [--max-combos 3000] [--sample N] [--budget-s 3600] [--timeout-s 60] [--max-timeouts 3] [--cache off] [--json out.json]
 * Starts the server as `npm start` does (the bundle, on 127.0.0.1), sweeps every GET path of its
 * OpenAPI document with every documented parameter (src/bench/sweep-cases.ts), and prints the
 * requests by status class, the slowest ten and every answer that broke the contract (any ≥ 500,
 * a 4xx that is not problem+json, a 2xx that does not parse as its type). Exit code 1 if any did.
 * Caches are off by default, so every request runs its queries. `--url` sweeps a running server instead.
 */
const Shape = z.object({
  db: z.string().min(1).optional(),
  url: z.url().optional(),
  port: z.coerce.number().int().min(1).max(65535).default(4730),
  "max-combos": z.coerce.number().int().min(0).default(3000),
  // A stratified, seeded sample of the cases (every path and parameter first); default: all of them.
  sample: z.coerce.number().int().min(1).optional(),
  "budget-s": z.coerce.number().min(1).default(3600),
  "timeout-s": z.coerce.number().min(1).default(60),
  // A path that goes unanswered this often is not asked again (reported as not asked).
  "max-timeouts": z.coerce.number().int().min(1).default(3),
  seed: z.coerce.number().int().default(1),
  cache: z.enum(["on", "off"]).default("off"),
  json: z.string().optional(),
});
const Args = Shape.refine((a) => (a.db === undefined) !== (a.url === undefined), { message: "give exactly one of --db and --url" });

const { values } = parseArgs({ options: Object.fromEntries(Object.keys(Shape.shape).map((k) => [k, { type: "string" as const }])) });
const parsed = Args.safeParse(values);
if (!parsed.success) {
  console.error(`usage: npm run sweep -- --db FILE.db [--port 4730] [--max-combos N] [--sample N] [--budget-s S] [--timeout-s S] [--max-timeouts N] [--cache on|off] [--json FILE]\n${z.prettifyError(parsed.error)}`);
  process.exit(2);
}
const args = parsed.data;

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** `node scripts/start.mjs` (what `npm start` runs) on the given port; resolves once it listens. */
function startServer(db: string, port: number, cache: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_PATH: db, PORT: String(port), HOST: "127.0.0.1", LITREVIEW_CACHE: cache },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = out.match(/listening on (http:\/\/[\d.]+:\d+)/);
      if (m) resolve({ url: m[1]!, child });
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => {
      process.stderr.write(chunk);
      onData(chunk);
    });
    child.on("exit", (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
}

let server = args.db ? await startServer(args.db, args.port, args.cache) : undefined;
const base = server?.url ?? args.url!;

/**
 * After a request its client gave up on: the server may still be working on it (SQLite is
 * synchronous), so it is given a minute to become prompt again; if it does not, the server is
 * restarted (a server started by this script), so the next requests are not charged for it.
 */
async function recover(): Promise<void> {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    try {
      const t = performance.now();
      await (await fetch(`${base}/sweep-probe`, { signal: AbortSignal.timeout(5_000) })).text(); // a 404: no query behind it
      if (performance.now() - t < 500) return;
    } catch {
      // still busy
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  if (!server || !args.db) return;
  console.error("  server still busy after 60 s: restarting it");
  server.child.removeAllListeners("exit");
  const exited = new Promise((r) => server?.child.once("exit", r));
  server.child.kill("SIGKILL");
  await exited;
  server = await startServer(args.db, args.port, args.cache);
}
// Stopped by a signal: the server goes too.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server?.child.kill("SIGTERM");
    process.exit(130);
  });
}
try {
  const fetcher: Fetcher = (path, signal) => fetch(`${base}${path}`, { signal });
  const { doc, data } = await discoverData(fetcher);
  const all = sweepCases(doc, data, { seed: args.seed, maxCombos: args["max-combos"] });
  const cases = args.sample === undefined ? all : sampleCases(all, args.sample, args.seed);
  console.log(
    `sweeping ${base}: ${cases.length} requests over ${Object.keys(doc.paths).length} paths (${data.reviews.length} reviews, ` +
      `${data.organs.length} organs, ${data.backbones.length} backbones, ${data.metrics.length} metrics, ${data.cursors.length} cursors)`,
  );
  const report = await runSweep(fetcher, doc, cases, {
    budgetMs: args["budget-s"] * 1000,
    timeoutMs: args["timeout-s"] * 1000,
    afterTimeout: recover,
    maxTimeoutsPerPath: args["max-timeouts"],
    // Progress on stderr, and a finding as it happens: a sweep of 1M takes a while.
    onOutcome: (o, i) => {
      if (o.problem !== null || o.ms > 10_000) console.error(`  [${i}] ${o.status} ${o.ms.toFixed(0)} ms ${o.path.slice(0, 160)}${o.problem ? `: ${o.problem.slice(0, 200)}` : ""}`);
      else if (i % 500 === 0) console.error(`  ${i}/${cases.length}`);
    },
  });
  const { lines, failures } = summarize(report);
  console.log(lines.join("\n"));
  if (args.json) writeFileSync(args.json, JSON.stringify(report, null, 1));
  process.exitCode = failures.length > 0 ? 1 : 0;
} finally {
  server?.child.removeAllListeners("exit");
  server?.child.kill("SIGTERM");
}
