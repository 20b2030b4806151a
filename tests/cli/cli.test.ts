import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.js";
import { createApp } from "../../src/app.js";
import { EXIT, run } from "../../src/cli/main.js";
import { getStats } from "../../src/queries/stats.js";
import { getTrends } from "../../src/queries/trends.js";
import { seededDb } from "../helpers/seeded.js";

let db: Db;
beforeAll(() => {
  db = seededDb();
});

/** Runs the CLI in-process over the seeded database, capturing what it prints. */
async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }, () => db);
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

describe("litreview refs", () => {
  it("prints an aligned table of the matches", async () => {
    const r = await cli("refs", "--q", "medulloblastoma");
    expect(r.code).toBe(EXIT.ok);
    const lines = r.stdout.split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^id {2}printed {3}first author {7}year {2}title/);
    expect(lines[2]).toMatch(/^ 8 {2}\[8\] \[13\] {2}Cruz-Roa A et al\. {2}2015 {2}A method for medulloblastoma/);
    // Columns line up: every row starts its year where the header does.
    expect(lines[2]!.indexOf("2015")).toBe(lines[0]!.indexOf("year"));
    expect(r.stderr).toBe("1 of 1 shown");
  });

  it("prints BibTeX for every match with --format bibtex", async () => {
    const r = await cli("refs", "--format", "bibtex");
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout.match(/^@\w+\{/gm)).toHaveLength(53);
    const cited = await cli("refs", "--cited", "true", "--format", "ris");
    expect(cited.stdout.match(/^TY {2}- /gm)).toHaveLength(24);
  });

  it("prints the API's JSON with --json", async () => {
    const r = await cli("refs", "--year", "2015", "--json");
    const body = JSON.parse(r.stdout) as { meta: { count: number; provenance: { id: string }[] }; results: { id: number }[] };
    expect(body.meta.count).toBe(4);
    expect(body.results.map((w) => w.id)).toEqual([8, 10, 34, 48]);
    expect(body.meta.provenance[0]?.id).toBe("dlmia-2024");
  });
});

describe("litreview studies, methods, conv-size", () => {
  it("filters studies by organ with the route's schema", async () => {
    const r = await cli("studies", "--organ", "brain", "--json");
    const body = JSON.parse(r.stdout) as { meta: { count: number }; results: { organ: string }[] };
    expect(body.meta.count).toBe(8);
    expect(body.results.every((s) => s.organ === "brain")).toBe(true);
    const table = await cli("studies", "--organ", "lung");
    expect(table.stdout.split("\n")).toHaveLength(2 + 4);
  });

  it("takes a descending sort written with a space", async () => {
    const r = await cli("studies", "--sort", "-accuracy", "--limit", "1", "--json");
    expect(r.code).toBe(EXIT.ok);
    const body = JSON.parse(r.stdout) as { results: { accuracy: { value: number } }[]; meta: { next_cursor: string } };
    expect(body.results[0]?.accuracy.value).toBe(99.83);
    const next = await cli("studies", "--sort", "-accuracy", "--limit", "1", "--cursor", body.meta.next_cursor, "--json");
    expect((JSON.parse(next.stdout) as { results: { accuracy: { value: number } }[] }).results[0]?.accuracy.value).toBe(99.82);
  });

  it("lists method kinds and items, and computes output sizes", async () => {
    expect((await cli("methods")).stdout.split("\n")).toHaveLength(2 + 6);
    expect((await cli("methods", "equations")).stdout.split("\n")).toHaveLength(2 + 6);
    expect((await cli("conv-size", "--t", "7", "--k", "3", "--p", "1", "--s", "3")).stdout).toBe(
      "u = 3\nEq. (4): u = floor((7 - 3 + 2×1) / 3) + 1 = 3",
    );
  });
});

describe("litreview stats, trends, recommend (the API's query functions)", () => {
  it("prints one row per organ × strategy group, matching getStats", async () => {
    const r = await cli("stats", "--group-by", "organ,strategy");
    expect(r.code).toBe(EXIT.ok);
    const lines = r.stdout.split("\n");
    const expected = getStats(db, { filters: {}, groupBy: ["organ", "strategy"], metric: "accuracy" });
    expect(expected.groups).toHaveLength(9);
    expect(lines).toHaveLength(2 + 9);
    expect(lines[0]).toMatch(/^organ +strategy +studies +n +median +q1 +q3 +min +max$/);
    expected.groups.forEach((g, i) => {
      const cells = lines[i + 2]!.split(/ {2,}/).map((c) => c.trim());
      expect(cells.slice(0, 4)).toEqual([String(g.key.organ), String(g.key.strategy), String(g.count), String(g.summary.n)]);
      expect(cells[4]).toBe(g.summary.median?.toFixed(2));
    });
    expect(expected.groups.reduce((n, g) => n + g.count, 0)).toBe(24);
    expect(r.stderr).toContain("not a ranking of methods");
  });

  it("prints stats CSV exactly as the API serves it", async () => {
    const r = await cli("stats", "--group-by", "organ", "--format", "csv");
    const api = await (await createApp({ db }).request("/v1/stats?group_by=organ&format=csv")).text();
    expect(r.stdout).toBe(api);
    expect(api.trimEnd().split("\r\n")).toHaveLength(1 + 4);
    const studies = await cli("studies", "--format", "csv", "--limit", "2");
    expect(studies.stdout.trimEnd().split("\r\n")).toHaveLength(1 + 2);
  });

  it("prints the years 2015 to 2020 with counts adding up to 24, then the summary", async () => {
    const r = await cli("trends");
    const [table, summary] = r.stdout.split("\n\n");
    const rows = table!.split("\n").slice(2);
    expect(rows.map((l) => l.slice(0, 4))).toEqual(["2015", "2016", "2017", "2018", "2019", "2020"]);
    expect(rows.reduce((n, l) => n + Number(l.split(/ +/)[1]), 0)).toBe(24);
    expect(summary).toBe(getTrends(db, { filters: {}, series: "strategy" }).summary);
  });

  it("ranks lung strategies and says when the evidence is thin", async () => {
    const r = await cli("recommend", "--organ", "lung");
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout.split("\n")[0]).toBe("4 studies in the domain.");
    expect(r.stdout).toMatch(/^! Thin evidence/m);
    expect(r.stdout).toMatch(/^ {3}1 {2}feature-extraction {2}3 /m);
  });

  it("answers kidney with no ranking and a caveat, exit 0", async () => {
    const r = await cli("recommend", "--organ", "kidney");
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout.split("\n")[0]).toBe("0 studies in the domain.");
    expect(r.stdout).toContain('match organ "kidney"');
    expect(r.stdout.match(/^\(none\)$/gm)).toHaveLength(2);
  });
});

describe("bad arguments exit 2 with a message", () => {
  it.each([
    [["refs", "--year", "abc"], "--year"],
    [["refs", "--bogus"], "--bogus"],
    [["refs", "--review", "nope"], "no review"],
    [["refs", "--format", "xml"], "--format"],
    [["refs", "--format", "bibtex", "--limit", "5"], "--limit"],
    [["studies", "--strategy", "guessing"], "--strategy"],
    [["studies", "--cursor", "garbage"], "cursor"],
    [["methods", "loss-functions"], "--kind"],
    [["conv-size", "--t", "2", "--k", "3"], "--k"],
    [["stats", "--group-by", "colour"], "--group-by"],
    [["stats", "--metric", "auc"], "metric"],
    [["trends", "--series", "modality"], "--series"],
    [["recommend"], "--organ or --condition"],
    [["frobnicate"], "unknown command"],
    [[], "Usage: litreview"],
  ])("%j", async (argv, message) => {
    const r = await cli(...argv);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(message);
  });
});

describe("bin/litreview.js", () => {
  const dir = mkdtempSync(join(tmpdir(), "litreview-cli-"));
  const bin = fileURLToPath(new URL("../../bin/litreview.js", import.meta.url));
  const spawn = (...argv: string[]) =>
    spawnSync(process.execPath, [bin, ...argv], {
      env: { ...process.env, DATABASE_PATH: join(dir, "cli.db") },
      encoding: "utf8",
      timeout: 60_000,
    });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("opens (and loads) the database at DATABASE_PATH and prints a table", () => {
    const r = spawn("refs", "--q", "false positive reduction");
    expect(r.stderr).toBe("1 of 1 shown\n");
    expect(r.status).toBe(0);
    expect(r.stdout.split("\n")[2]).toMatch(/^46 {2}unnumbered {2}Shi Z et al\. {2}2019 {2}A deep CNN based transfer learning method/);
  });

  it("exits 2 on a bad flag", () => {
    const r = spawn("studies", "--organ");
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("--organ");
  });
});
