import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { drain, load, peakRssMb, startServer, stopServer, type Load } from "../src/bench/http.js";
import { FLAT_LAYOUT, findDatasette, flatCopy, pairs, startDatasette, stopDatasette, tablePath } from "../src/bench/peer.js";
import { openDb } from "../src/db/client.js";
import { rebuildSummaries, summariesComplete } from "../src/summary/build.js";
import { synthesize } from "../src/synth/write.js";
import { build, isStale } from "./build.mjs";

/**
 * npm run bench:peer -- [--studies 200000] [--seconds 10] [--connections 10] [--only text]
 * litreview (compiled, LITREVIEW_CACHE=off) and Datasette on the same rows, each question asked of
 * both, answers checked, then loaded in turn, twice in reversed order. Needs Datasette importable by
 * python3 (or PYTHON), optionally from a source folder given as DATASETTE_SRC; skips otherwise.
 */
const Args = z.object({
  studies: z.coerce.number().int().min(1000).default(200_000),
  seconds: z.coerce.number().min(1).max(60).default(10),
  connections: z.coerce.number().int().min(1).max(50).default(10),
  out: z.string().default("bench-results"),
  // Only the questions whose name contains one of these texts (comma-separated).
  only: z.string().default(""),
});
const { values } = parseArgs({ options: Object.fromEntries(Object.keys(Args.shape).map((k) => [k, { type: "string" as const }])) });
const args = Args.parse(values);
const log = (s: string) => process.stderr.write(`${s}\n`);

const py = findDatasette();
if (!py.ok) {
  console.log(
    `bench:peer skipped: Datasette is not available (${py.why}).\n` +
      "Install it (pip install datasette), or point DATASETTE_SRC at a folder holding its source and any missing pure-Python\n" +
      "dependencies, and PYTHON at the interpreter to use (see docs/performance.md, \"Datasette beside litreview\").",
  );
  process.exit(0);
}

const outDir = resolve(args.out);
mkdirSync(outDir, { recursive: true });
const corpus = join(outDir, `synth-${args.studies}-s1.db`);
if (!existsSync(corpus)) {
  log(`generating ${corpus} ...`);
  synthesize({ studies: args.studies, out: corpus, seed: 1 });
}
if (isStale()) await build();
// A first start loads the curated review into the corpus: the flat copy must hold it too.
await stopServer(await startServer(corpus));
summarizeIfNeeded(corpus);
const flat = flatCopy(corpus, join(outDir, `peer-${args.studies}-s1-v${FLAT_LAYOUT}.db`));
log(`Datasette ${py.version}; litreview over ${corpus}; Datasette over ${flat}`);

const table = tablePath(flat);
const questions = pairs(table).filter((q) => args.only.split(",").some((t) => q.name.includes(t)));
const ours = await startServer(corpus, { LITREVIEW_CACHE: "off" });
// The column store is built in the background from 2 s after start; a filtered question finishes
// that build, so it is not measured against the first question (it held group_by=organ to 168
// req/s where organ x strategy, loaded after it, served 445).
await new Promise((r) => setTimeout(r, 2500));
await (await fetch(`${ours.url}/v1/stats?group_by=organ&year_from=2015`)).text();
const theirs = await startDatasette(py, flat, `${table}?_size=1`);

type Row = { name: string; ours: Load[]; theirs: Load[]; equal: boolean };
const rows: Row[] = [];
try {
  for (const q of questions) {
    const [a, b] = await Promise.all([fetch(`${ours.url}${q.ours}`), fetch(`${theirs.url}${q.theirs}`)]);
    const equal = a.ok && b.ok && q.same(await a.json(), await b.json());
    const row: Row = { name: q.name, ours: [], theirs: [], equal };
    // ours, theirs, theirs, ours: load drift hits both sides alike.
    for (const side of ["ours", "theirs", "theirs", "ours"] as const) {
      const server = side === "ours" ? ours.url : theirs.url;
      // Datasette renders its 404 page from a template: "prompt" is a second there, not 200 ms.
      await drain(server, 30_000, side === "ours" ? 200 : 1000);
      row[side].push(await load(server, `${q.name} (${side})`, [side === "ours" ? q.ours : q.theirs], args.seconds, args.connections));
    }
    rows.push(row);
    log(`  ${q.name}: ${mean(row.ours, (l) => l.rps).toFixed(0)} vs ${mean(row.theirs, (l) => l.rps).toFixed(0)} req/s${equal ? "" : " (answers differ)"}`);
  }
} finally {
  await stopServer(ours);
  await stopDatasette(theirs);
}

// Start-up: spawn→first answer of each, in turn, and their resident memory one second later.
const starts = { ours: [] as number[], theirs: [] as number[], oursRss: [] as number[], theirsRss: [] as number[] };
for (let i = 0; i < 3; i++) {
  const a = await startServer(corpus);
  starts.ours.push(a.firstAnswerMs);
  await new Promise((r) => setTimeout(r, 1000));
  starts.oursRss.push(peakRssMb(a.child.pid, "VmRSS") ?? Number.NaN);
  await stopServer(a);
  const b = await startDatasette(py, flat, `${table}?organ=brain&_size=50`);
  starts.theirs.push(b.firstAnswerMs);
  await new Promise((r) => setTimeout(r, 1000));
  starts.theirsRss.push(peakRssMb(b.child.pid, "VmRSS") ?? Number.NaN);
  await stopDatasette(b);
}

/** A corpus made before the kept figures (migration 0007) answers from the histograms until rebuilt. */
function summarizeIfNeeded(path: string): void {
  const db = openDb(path);
  try {
    if (summariesComplete(db.$client)) return;
    log(`rebuilding the summaries of ${path} ...`);
    rebuildSummaries(db.$client);
  } finally {
    db.$client.close();
  }
}

function mean<T>(xs: T[], f: (x: T) => number): number {
  return xs.reduce((n, x) => n + f(x), 0) / xs.length;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const md = [
  `Command: \`npm run bench:peer -- ${process.argv.slice(2).join(" ")}\` — ${new Date().toISOString()} — ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ` +
    `${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, Datasette ${py.version}; ${args.studies.toLocaleString("en")} studies; ` +
    `autocannon -c ${args.connections} -d ${args.seconds} after 1 s of warm-up, two rounds in reversed order (mean of the two)`,
  "",
  "| query | litreview uncached req/s (p99 ms) | Datasette req/s (p99 ms) | ratio | answers equal |",
  "|---|---:|---:|---:|---|",
  ...rows.map((r) => {
    const [a, b] = [mean(r.ours, (l) => l.rps), mean(r.theirs, (l) => l.rps)];
    const p99 = (ls: Load[]) => mean(ls, (l) => l.p99).toFixed(0);
    // A decimal below 10 req/s: Datasette's filtered facet serves under 1 req/s, which "0" would hide.
    const rps = (x: number) => x.toFixed(x < 10 ? 1 : 0);
    return `| ${r.name} | ${rps(a)} (${p99(r.ours)}) | ${rps(b)} (${p99(r.theirs)}) | ${(a / b).toFixed(1)}× | ${r.equal ? "yes" : "**no**"} |`;
  }),
  "",
  `Start-up, spawn→first answer (median of 3): litreview ${median(starts.ours).toFixed(0)} ms (${starts.ours.map((x) => x.toFixed(0)).join(", ")}), ` +
    `Datasette ${median(starts.theirs).toFixed(0)} ms (${starts.theirs.map((x) => x.toFixed(0)).join(", ")}). ` +
    `RSS 1 s after: litreview ${median(starts.oursRss).toFixed(0)} MB, Datasette ${median(starts.theirsRss).toFixed(0)} MB.`,
].join("\n");
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
writeFileSync(join(outDir, `peer-${stamp}.md`), `${md}\n`);
writeFileSync(join(outDir, `peer-${stamp}.json`), JSON.stringify({ args, datasette: py.version, rows, starts }, null, 2));
console.log(md);
