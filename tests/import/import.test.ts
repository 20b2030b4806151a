import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { EXIT, run } from "../../src/cli/main.js";
import { migrateDb, openDb } from "../../src/db/client.js";
import { importReview } from "../../src/import/import.js";
import { readReviewFiles } from "../../src/ingest/review-files.js";
import { dermEye, draftOf, fixture } from "./helpers.js";

const tempDir = () => mkdtempSync(join(tmpdir(), "litreview-import-"));
const memoryDb = () => {
  const db = openDb(":memory:");
  migrateDb(db);
  return db;
};
const noDb = () => {
  throw new Error("the database must not be opened");
};

describe("the derm-eye review", () => {
  it("drafts with no error, and its counts match ones computed from the CSV text", async () => {
    const d = await draftOf(dermEye("studies.csv"), { references: dermEye("references.bib") });
    expect(d.problems.filter((p) => p.severity === "error")).toEqual([]);

    // Independently: csv-parse's records, studies as distinct cite keys, metric names as printed folded by hand.
    const rows: Record<string, string>[] = parse(readFileSync(dermEye("studies.csv")), { columns: true });
    const organs: Record<string, Set<string>> = {};
    const metrics: Record<string, number> = {};
    const hand: Record<string, string> = { Accuracy: "accuracy", AUC: "auc", "ROC-AUC": "auc", Sensitivity: "sensitivity" };
    for (const r of rows) {
      const organ = r["Body part"]!;
      organs[organ] = new Set([...(organs[organ] ?? []), r["Cite key"]!]);
      const m = hand[r.Metric!]!;
      metrics[m] = (metrics[m] ?? 0) + 1;
    }
    const organCounts = Object.fromEntries(Object.entries(organs).map(([o, keys]) => [o, keys.size]));
    expect(d.summary.organs).toEqual(organCounts);
    expect(d.summary.metrics).toEqual(metrics);
    expect(d.summary).toMatchObject({ studies: 10, results: 11, works: 10 });
    expect(organCounts).toEqual({ skin: 3, eye: 4, kidney: 2, chest: 1 });
    expect(metrics).toEqual({ accuracy: 6, auc: 4, sensitivity: 1 });
  });

  it("reads the same from RIS as from BibTeX", async () => {
    const bib = await draftOf(dermEye("studies.csv"), { references: dermEye("references.bib") });
    const ris = await draftOf(dermEye("studies.csv"), { references: dermEye("references.ris") });
    expect(ris.problems).toEqual(bib.problems);
    const fields = (d: typeof bib) => d.library.map(({ id, DOI, title, author, volume, page }) => ({ id, DOI, title, author, volume, page }));
    expect(fields(ris)).toEqual(fields(bib));
  });

  it("imports, writes the folder in the curated format and loads it; a second import changes nothing", async () => {
    const dataDir = tempDir();
    const db = memoryDb();
    const options = { studiesPath: dermEye("studies.csv"), referencesPath: dermEye("references.bib"), reviewId: "derm-eye", dataDir, db };
    const first = await importReview({ ...options, title: "Transfer learning for skin, eye and kidney images" });
    expect(first.report.valid).toBe(true);
    expect(first.loaded).toMatchObject({ reviewId: "derm-eye", status: "loaded", studies: 10, works: 10 });
    expect(readdirSync(dataDir)).toEqual(["derm-eye"]);
    const files = readReviewFiles(join(dataDir, "derm-eye"));
    expect(files.review).toMatchObject({ id: "derm-eye", title: "Transfer learning for skin, eye and kidney images", sourceFile: "studies.csv" });
    expect(files.studies.find((s) => s.row === 5)).toMatchObject({ organ: "eye", backbones: ["Inception-v3"], sample_size: 9963 });
    expect(files.results.filter((r) => r.row === 5).map((r) => [r.metric, r.value, r.scale])).toEqual([
      ["auc", 0.991, "fraction"],
      ["sensitivity", 90.3, "percent"],
    ]);
    expect(files.citations.every((c) => c.reference_id && c.status === "linked")).toBe(true);
    const again = await importReview({ ...options, title: "Transfer learning for skin, eye and kidney images" });
    expect(again.loaded?.status).toBe("unchanged");
  });
});

describe("a wide sheet without a method column", () => {
  it("loads: one study per row, a result per metric column, the empty method text kept empty", async () => {
    const db = memoryDb();
    const r = await importReview({ studiesPath: fixture("wide.csv"), referencesPath: fixture("refs.bib"), reviewId: "wide", dataDir: tempDir(), db });
    expect(r.report.errors).toBe(0);
    expect(r.loaded).toMatchObject({ status: "loaded", studies: 3 });
    const rows = db.$client.prepare("select s.organ, s.method_text, r.metric, r.scale from studies s join study_results r on r.study_id = s.id order by s.id, r.metric").all();
    expect(rows).toHaveLength(5);
    expect(rows.every((x) => (x as { method_text: string }).method_text === "")).toBe(true);
  });
});

describe("nothing is written unless the import is clean and not a dry run", () => {
  const snapshot = (dir: string) => readdirSync(dir, { recursive: true }).map(String).sort();

  it("a dry run creates no folder and never opens the database", async () => {
    const dataDir = tempDir();
    const r = await importReview({
      studiesPath: dermEye("studies.csv"),
      referencesPath: dermEye("references.ris"),
      reviewId: "derm-eye",
      dataDir,
      dryRun: true,
      db: noDb,
    });
    expect(r.report).toMatchObject({ valid: true, dryRun: true });
    expect(r.dir).toBeUndefined();
    expect(snapshot(dataDir)).toEqual([]);
  });

  it("errors leave an existing review folder and the database as they were", async () => {
    const dataDir = tempDir();
    const db = memoryDb();
    const base = { referencesPath: fixture("refs.bib"), reviewId: "small", dataDir, db };
    // Method and strategy columns filled so the folder loads whatever the loader requires of them.
    const good = join(tempDir(), "good.csv");
    writeFileSync(good, "Cite key,Organ,Condition,Method,Metric,Value\nsmith2019,brain,tumour,fine-tuned VGG16,Accuracy,95%\n");
    expect((await importReview({ ...base, studiesPath: good })).loaded?.status).toBe("loaded");
    const before = snapshot(dataDir);
    const studiesFile = join(dataDir, "small", "studies.tsv");
    const mtime = statSync(studiesFile).mtimeMs;
    const count = () => db.$client.prepare("select count(*) as n from studies").get();
    const n = count();
    const bad = await importReview({ ...base, studiesPath: fixture("accuracy-130.csv") });
    expect(bad.report.valid).toBe(false);
    expect(snapshot(dataDir)).toEqual(before);
    expect(statSync(studiesFile).mtimeMs).toBe(mtime);
    expect(count()).toEqual(n);
  });

  it("the CLI's dry run prints the report, exits 0 and creates neither folder nor database file", async () => {
    const dir = tempDir();
    const dataDir = join(dir, "data");
    mkdirSync(dataDir);
    const out: string[] = [];
    const args = ["import", dermEye("studies.csv"), "--references", dermEye("references.bib"), "--review", "derm-eye", "--dry-run"];
    const code = await run(args, { out: (t) => out.push(t), err: (t) => out.push(t) }, noDb, () => dataDir);
    expect(code).toBe(EXIT.ok);
    expect(out.join("\n")).toContain("Would load review derm-eye: 10 studies (11 results), 10 works.");
    expect(snapshot(dir)).toEqual(["data"]);
  });
});

describe("litreview import", () => {
  async function cli(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const dataDir = tempDir();
    const code = await run(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }, memoryDb, () => dataDir);
    return { code, stdout: out.join("\n"), stderr: err.join("\n"), dataDir };
  }

  it("exits 1 with one line per problem when the data has errors, and writes nothing", async () => {
    const r = await cli("import", fixture("accuracy-130.csv"), "--references", fixture("refs.bib"), "--review", "bad");
    expect(r.code).toBe(EXIT.failure);
    expect(r.stderr.split("\n")[0]).toBe('accuracy-130.csv:3 error out-of-range Value "130%": accuracy must be 0–100 %');
    expect(existsSync(join(r.dataDir, "bad"))).toBe(false);
  });

  it("--json prints the report as data", async () => {
    const r = await cli("import", fixture("auc-3.csv"), "--references", fixture("refs.bib"), "--review", "bad", "--json");
    expect(r.code).toBe(EXIT.failure);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ valid: false, errors: 1, dryRun: false, dir: null, loaded: null });
    expect(report.problems[0]).toEqual({
      severity: "error",
      code: "out-of-range",
      file: "auc-3.csv",
      row: 3,
      column: "Value",
      value: "3",
      message: "auc must be 0–1 (a 0–1 fraction; a percentage needs its % sign)",
    });
  });

  it("takes --map more than once", async () => {
    const r = await cli(
      "import",
      fixture("missing-organ.csv"),
      "--references",
      fixture("refs.bib"),
      "--review",
      "mapped",
      "--map",
      "Condition=organ",
      "--map",
      "Cite key=citation",
      "--dry-run",
    );
    expect(r.stderr).toContain("no column for condition");
    expect(r.code).toBe(EXIT.failure);
  });

  it("exits 2 for bad arguments", async () => {
    expect((await cli("import", fixture("wide.csv"), "--references", fixture("refs.bib"), "--review", "Not An Id")).code).toBe(EXIT.usage);
    expect((await cli("import", fixture("nope.csv"), "--references", fixture("refs.bib"), "--review", "x")).code).toBe(EXIT.usage);
    expect((await cli("import", fixture("wide.csv"), "--review", "x")).code).toBe(EXIT.usage);
    const map = await cli("import", fixture("wide.csv"), "--references", fixture("refs.bib"), "--review", "x", "--map", "Nope=organ");
    expect(map.code).toBe(EXIT.usage);
    expect(map.stderr).toContain('no column "Nope"');
  });
});

describe("a curated review folder", () => {
  it("is never replaced by an import of the same id", async () => {
    const dataDir = tempDir();
    mkdirSync(join(dataDir, "curated"));
    writeFileSync(join(dataDir, "curated", "review.json"), "{}");
    writeFileSync(join(dataDir, "curated", "corrections.tsv"), "location\n");
    const r = await importReview({ studiesPath: dermEye("studies.csv"), referencesPath: dermEye("references.bib"), reviewId: "curated", dataDir, db: noDb });
    expect(r.report.problems[0]).toMatchObject({ severity: "error", code: "bad-argument", file: "--review" });
    expect(readdirSync(join(dataDir, "curated")).sort()).toEqual(["corrections.tsv", "review.json"]);
  });
});
