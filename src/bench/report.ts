import type { Group } from "./cases.js";
import type { Load } from "./http.js";
import type { Timing } from "./timing.js";

export type CaseResult = { group: Group; name: string; query: Timing; floor: Timing | null; ratio: number | null };
export type SizeResult = {
  studies: number;
  db: string;
  cases: CaseResult[];
  // serverMs: spawn→first answer of the compiled server; firstAnswerMs: the same per way of starting.
  startup: { inProcessMs: number; serverMs: number[]; firstAnswerMs?: Record<string, number[]>; idleRssMb?: number[] } | null;
  http: Load[];
  serverPeakRssMb: number | null;
  benchPeakRssMb: number;
  /** Whether litreview's page and the floor server's held the same count and studies. */
  pageAnswersEqual: boolean | null;
};
export type BenchResult = { startedAt: string; command: string; machine: string; sizes: SizeResult[] };

const ms = (x: number | undefined | null) => (x === undefined || x === null || Number.isNaN(x) ? "–" : x < 10 ? x.toFixed(2) : x.toFixed(0));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const label = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));

export function toMarkdown(r: BenchResult): string {
  const out: string[] = [`Command: \`${r.command}\` — ${r.startedAt} — ${r.machine}`, ""];
  const names = [...new Set(r.sizes.flatMap((s) => s.cases.map((c) => c.name)))];
  const withCases = r.sizes.filter((s) => s.cases.length > 0);
  if (withCases.length > 0) {
    out.push("### In-process: query function vs raw SQL floor (ms, median / p95; ratio = medians)", "");
    out.push(`| case | ${withCases.map((s) => `${label(s.studies)} query | ${label(s.studies)} floor | ratio`).join(" | ")} |`);
    out.push(`|---|${withCases.map(() => "---:|---:|---:").join("|")}|`);
    for (const name of names) {
      const cells = withCases.map((s) => {
        const c = s.cases.find((x) => x.name === name);
        if (!c) return "– | – | –";
        return `${ms(c.query.median)} / ${ms(c.query.p95)} | ${c.floor ? `${ms(c.floor.median)} / ${ms(c.floor.p95)}` : "–"} | ${c.ratio === null ? "–" : c.ratio.toFixed(2)}`;
      });
      out.push(`| ${name} | ${cells.join(" | ")} |`);
    }
    out.push("");
  }
  const http = r.sizes.filter((s) => s.http.length > 0);
  if (http.length > 0) {
    out.push("### HTTP over loopback (autocannon, 10 connections)", "");
    out.push("| size | load | req/s | p50 ms | p99 ms | requests | non-2xx | errors |", "|---|---|---:|---:|---:|---:|---:|---:|");
    for (const s of http) {
      for (const l of s.http) out.push(`| ${label(s.studies)} | ${l.name}: \`${l.path}\` | ${l.rps.toFixed(0)} | ${l.p50} | ${l.p99} | ${l.requests} | ${l.non2xx} | ${l.errors} |`);
    }
    out.push("");
  }
  out.push("### Start-up and memory", "", "| size | start-up in-process ms | server spawn→first answer ms | server peak RSS MB | bench process peak RSS MB |", "|---|---:|---:|---:|---:|");
  for (const s of r.sizes) {
    out.push(
      `| ${label(s.studies)} | ${ms(s.startup?.inProcessMs)} | ${s.startup?.serverMs.map((x) => ms(x)).join(", ") || "–"} | ${ms(s.serverPeakRssMb)} | ${ms(s.benchPeakRssMb)} |`,
    );
  }
  const launches = r.sizes.filter((s) => s.startup?.firstAnswerMs);
  if (launches.length > 0) {
    out.push("", "Spawn→first answer (a page of 50) by way of starting, taken in turn; median, then each run (ms):", "");
    out.push("| size | launch | median | runs | ratio to the floor |", "|---|---|---:|---|---:|");
    for (const s of launches) {
      const by = s.startup!.firstAnswerMs!;
      const floor = by.floor ? median(by.floor) : null;
      for (const [launch, xs] of Object.entries(by)) {
        out.push(`| ${label(s.studies)} | ${launch} | ${ms(median(xs))} | ${xs.map((x) => ms(x)).join(", ")} | ${floor ? (median(xs) / floor).toFixed(2) : "–"} |`);
      }
    }
  }
  out.push("", ...targets(r));
  return out.join("\n");
}

/** The issue's targets, each with the measured figure next to it. */
function targets(r: BenchResult): string[] {
  const rows: string[] = ["### Targets", "", "| target | size | measured | met |", "|---|---|---|---|"];
  const add = (target: string, s: SizeResult, measured: string, met: boolean | null) =>
    rows.push(`| ${target} | ${label(s.studies)} | ${measured} | ${met === null ? "–" : met ? "yes" : "**no**"} |`);
  const worst = (cs: CaseResult[], f: (c: CaseResult) => number) => cs.reduce<CaseResult | undefined>((w, c) => (!w || f(c) > f(w) ? c : w), undefined);
  for (const s of r.sizes) {
    const pages = s.cases.filter((c) => c.group === "page");
    const sorted = s.cases.filter((c) => c.group === "page" || c.group === "page-sort");
    const aggs = s.cases.filter((c) => c.group === "aggregate");
    const w1 = worst(pages, (c) => c.query.p95);
    if (w1) add("page, single filter, default sort: p95 ≤ 5 ms", s, `worst ${ms(w1.query.p95)} (${w1.name})`, w1.query.p95 <= 5);
    const w2 = worst(sorted, (c) => c.query.p95);
    if (w2) add("page, single filter, any sort: p95 ≤ 25 ms", s, `worst ${ms(w2.query.p95)} (${w2.name})`, w2.query.p95 <= 25);
    const cursor = s.cases.filter((c) => c.group === "cursor");
    for (let i = 0; i + 1 < cursor.length; i += 2) {
      const [first, deep] = [cursor[i]!, cursor[i + 1]!];
      add("deep cursor page no slower than page 1", s, `${deep.name} ${ms(deep.query.median)} / ${ms(deep.query.p95)} vs page 1 ${ms(first.query.median)} / ${ms(first.query.p95)}`, deep.query.median <= first.query.median * 1.1);
    }
    const w3 = worst(aggs, (c) => c.query.p95);
    if (w3) add("stats/trends/recommendations uncached: p95 ≤ 150 ms", s, `worst ${ms(w3.query.p95)} (${w3.name})`, w3.query.p95 <= 150);
    // Only the cases measured beside a floor have a ratio (none with --floors off).
    const w4 = worst(aggs.filter((c) => c.ratio !== null), (c) => c.ratio!);
    if (w4) add("aggregates ≤ 1.5× raw SQL floor", s, `worst ${w4.ratio?.toFixed(2)} (${w4.name})`, (w4.ratio ?? 0) <= 1.5);
    const cached = s.http.find((l) => l.name === "stats cached");
    if (cached) add("cached stats over HTTP ≥ 5,000 req/s, p99 ≤ 20 ms", s, `${cached.rps.toFixed(0)} req/s, p99 ${cached.p99} ms`, cached.rps >= 5000 && cached.p99 <= 20);
    for (const us of s.http.filter((l) => l.name.startsWith("stats uncached"))) {
      add(`${us.name} ≥ 10× Datasette facets (650 req/s at 200k)`, s, `${us.rps.toFixed(0)} req/s`, s.studies === 200_000 ? us.rps >= 650 : null);
    }
    const up = s.http.find((l) => l.name === "page uncached");
    const floor = s.http.find((l) => l.name === "page floor");
    if (up && floor) {
      const equal = s.pageAnswersEqual ? "answers equal" : "**answers differ**";
      add("uncached page of 50 ≥ 0.7× its floor server", s, `${up.rps.toFixed(0)} vs ${floor.rps.toFixed(0)} req/s: ${(up.rps / floor.rps).toFixed(2)}× (${equal})`, up.rps >= 0.7 * floor.rps && s.pageAnswersEqual === true);
    }
    if (up) add("uncached page of 50: p99 ≤ 20 ms at 10 connections", s, `p99 ${up.p99.toFixed(0)} ms`, up.p99 <= 20);
    if (s.serverPeakRssMb !== null) add("server peak RSS ≤ 300 MB", s, `${ms(s.serverPeakRssMb)} MB`, s.serverPeakRssMb <= 300);
    if (s.startup) {
      // The server figure includes Node and every module's import; in-process is the data part.
      const server = s.startup.serverMs.length > 0 ? median(s.startup.serverMs) : null;
      const inProcess = Number.isNaN(s.startup.inProcessMs) ? null : s.startup.inProcessMs;
      const parts = [inProcess === null ? "" : `in-process ${ms(inProcess)} ms`, server === null ? "" : `compiled server spawn→first answer median ${ms(server)} ms`];
      add("start-up on an existing database ≤ 500 ms to first answer", s, parts.filter(Boolean).join("; "), server === null ? null : server <= 500);
      const idle = s.startup.idleRssMb?.filter((x) => !Number.isNaN(x)) ?? [];
      if (idle.length > 0) add("idle RSS ≤ 100 MB", s, `median ${ms(median(idle))} MB`, median(idle) <= 100);
    }
  }
  return rows;
}
