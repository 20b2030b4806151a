import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type App } from "../../src/app.js";
import { DEFAULT_DATA_DIR } from "../../src/config.js";
import type { Db } from "../../src/db/client.js";
import { openAndLoad } from "../../src/db/setup.js";
import { importReview } from "../../src/import/import.js";
import { dermEye } from "../import/helpers.js";

/**
 * The curated review and the imported derm-eye review in one data directory, loaded the way the
 * server loads them: reviews as a resource, metrics never pooled, one work both reviews cite.
 */
let dataDir: string;
let db: Db;
let app: App;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "litreview-reviews-"));
  cpSync(join(DEFAULT_DATA_DIR, "dlmia-2024"), join(dataDir, "dlmia-2024"), { recursive: true });
  const imported = await importReview({
    studiesPath: dermEye("studies.csv"),
    referencesPath: dermEye("references.bib"),
    reviewId: "derm-eye",
    title: "Transfer learning in skin, eye and kidney imaging",
    dataDir,
  });
  expect(imported.report.errors).toBe(0);
  ({ db } = openAndLoad(":memory:", dataDir));
  app = createApp({ db });
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const get = async <T>(path: string, status = 200) => {
  const res = await app.request(path);
  expect(res.status, path).toBe(status);
  return (await res.json()) as T;
};
type Provenance = { provenance: { id: string }[] };

describe("GET /v1/reviews", () => {
  it("lists both reviews with their counts of studies, works, metrics and organs", async () => {
    type R = { id: string; studies: number; works: number; metrics: Record<string, number>; organs: Record<string, number>; data_hash: string };
    const { results } = await get<{ results: R[] }>("/v1/reviews");
    expect(results.map((r) => [r.id, r.studies, r.works])).toEqual([
      ["derm-eye", 10, 10],
      ["dlmia-2024", 24, 53],
    ]);
    const derm = results[0]!;
    // From studies.csv: 6 accuracies, AUC printed 3 times as "AUC" and once as "ROC-AUC", 1 sensitivity.
    expect(derm.metrics).toEqual({ accuracy: 6, auc: 4, sensitivity: 1 });
    expect(derm.organs).toEqual({ chest: 1, eye: 4, kidney: 2, skin: 3 });
    expect(derm.data_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(results[1]!.metrics).toEqual({ accuracy: 24 });
  });

  it("answers one review by id, and 404 problem+json for an unknown one", async () => {
    const { result } = await get<{ result: { id: string; studies: number } }>("/v1/reviews/dlmia-2024");
    expect(result).toMatchObject({ id: "dlmia-2024", studies: 24 });
    const res = await app.request("/v1/reviews/nope");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });
});

describe("metrics", () => {
  it("lists every metric with its one scale and counts", async () => {
    const { results } = await get<{ results: { metric: string; scale: string | null; results: number; valued: number }[] }>("/v1/metrics");
    expect(results).toEqual([
      { metric: "accuracy", scale: "percent", results: 30, valued: 30 },
      { metric: "auc", scale: "fraction", results: 4, valued: 4 },
      { metric: "sensitivity", scale: "percent", results: 1, valued: 1 },
    ]);
  });

  it("never lets an AUC into an accuracy statistic: eye accuracy is Pan's 93.81 and Burlina's 93.4 only", async () => {
    type S = Provenance & { metric: string; scale: string };
    const acc = await get<{ meta: S; groups: { key: { organ: string }; count: number; summary: { n: number; n_missing: number; median: number } }[] }>(
      "/v1/stats?group_by=organ&organ=eye",
    );
    expect(acc.meta).toMatchObject({ metric: "accuracy", scale: "percent" });
    expect(acc.groups).toEqual([expect.objectContaining({ count: 4, summary: expect.objectContaining({ n: 2, n_missing: 2, median: 93.605 }) })]);
    const auc = await get<{ meta: S; groups: { summary: { n: number; median: number; min: number; max: number } }[] }>("/v1/stats?group_by=organ&organ=eye&metric=auc");
    expect(auc.meta).toMatchObject({ metric: "auc", scale: "fraction" });
    // Gulshan 0.991 and Diaz-Pinto 0.9605 (printed "ROC-AUC"): fractions, median 0.97575.
    expect(auc.groups[0]!.summary).toMatchObject({ n: 2, median: 0.9758, min: 0.9605, max: 0.991 });
  });

  it("takes metric= on trends and recommendations, and 400 for a metric nobody reports", async () => {
    const t = await get<{ meta: { metric: string; scale: string }; years: { year: number; median: number | null; median_n: number }[]; summary: string }>(
      "/v1/trends?review=derm-eye&metric=auc",
    );
    expect(t.meta).toMatchObject({ metric: "auc", scale: "fraction" });
    expect(t.years.filter((y) => y.median_n > 0).map((y) => [y.year, y.median])).toEqual([
      [2016, 0.9655],
      [2018, 0.96],
      [2019, 0.9605],
    ]);
    expect(t.summary).toContain("median reported AUC was");
    const r = await get<{ meta: { metric: string; scale: string }; strategies: { name: string; summary: { median: number } }[] }>(
      "/v1/recommendations?organ=skin&metric=auc",
    );
    expect(r.meta).toMatchObject({ metric: "auc", scale: "fraction" });
    expect(r.strategies.map((s) => [s.name, s.summary.median])).toEqual([["fine-tuning", 0.96]]);
    const bad = await app.request("/v1/trends?metric=dice");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { detail: string }).detail).toContain("known metrics: accuracy, auc, sensitivity");
  });
});

describe("provenance", () => {
  it("names only the reviews that contributed studies to the answer", async () => {
    const eye = await get<{ meta: Provenance }>("/v1/stats?organ=eye");
    expect(eye.meta.provenance.map((p) => p.id)).toEqual(["derm-eye"]);
    const brain = await get<{ meta: Provenance }>("/v1/trends?organ=brain");
    expect(brain.meta.provenance.map((p) => p.id)).toEqual(["dlmia-2024"]);
    const all = await get<{ meta: Provenance }>("/v1/stats");
    expect(all.meta.provenance.map((p) => p.id)).toEqual(["derm-eye", "dlmia-2024"]);
    const none = await get<{ meta: Provenance }>("/v1/recommendations?organ=liver");
    expect(none.meta.provenance).toEqual([]);
  });
});

describe("a work two reviews cite", () => {
  it("is one work: Shin 2016, printed in dlmia-2024 without a DOI, imported with one", async () => {
    type Ref = { id: number; reviews: string[]; doi: string | null; printed_numbers: (number | null)[]; study_ids: number[] };
    const { results } = await get<{ results: Ref[] }>("/v1/references?q=computer-aided%20detection");
    expect(results).toHaveLength(1);
    const shin = results[0]!;
    expect(shin.reviews).toEqual(["derm-eye", "dlmia-2024"]);
    expect(shin.doi).toBe("10.1109/tmi.2016.2528162");
    const one = await get<{ result: Ref }>(`/v1/references/${shin.id}`);
    expect(one.result.reviews).toEqual(["derm-eye", "dlmia-2024"]);
    // dlmia-2024 prints it as [2] and cites it from no table; derm-eye's chest study links to it.
    expect(one.result.study_ids).toHaveLength(1);
    const study = await get<{ result: { review: string; organ: string } }>(`/v1/studies/${one.result.study_ids[0]}`);
    expect(study.result).toMatchObject({ review: "derm-eye", organ: "chest" });
  });
});

describe("one bad review folder", () => {
  it("is skipped and named in /health; the others are served, and a review loaded before keeps its data", async () => {
    const dir = mkdtempSync(join(tmpdir(), "litreview-bad-"));
    const path = join(dir, "lit.db");
    const data = join(dir, "reviews");
    cpSync(dataDir, data, { recursive: true });
    openAndLoad(path, data).db.$client.close();

    // derm-eye now has a year that is not a number; a third folder has no studies.tsv at all.
    const studies = join(data, "derm-eye", "studies.tsv");
    writeFileSync(studies, readFileSync(studies, "utf8").replace("\t2017\t", "\t20x7\t"));
    const meta = JSON.parse(readFileSync(join(data, "dlmia-2024", "review.json"), "utf8"));
    cpSync(join(data, "dlmia-2024", "methods"), join(data, "broken", "methods"), { recursive: true });
    writeFileSync(join(data, "broken", "review.json"), JSON.stringify({ ...meta, id: "broken" }));
    const load = openAndLoad(path, data);
    expect(load.loaded.map((l) => [l.reviewId, l.status])).toEqual([["dlmia-2024", "unchanged"]]);
    expect(load.failed.map((f) => f.reviewId)).toEqual(["broken", "derm-eye"]);

    const served = createApp({ db: load.db });
    const health = (await (await served.request("/health")).json()) as {
      status: string;
      studies: number;
      failures: { review: string; problems: string[] }[];
    };
    expect(health.status).toBe("degraded");
    expect(health.studies).toBe(34);
    expect(health.failures.map((f) => f.review)).toEqual(["broken", "derm-eye"]);
    expect(health.failures[0]!.problems[0]).toMatch(/broken\/studies\.tsv.*ENOENT/);
    expect(health.failures[1]!.problems).toEqual([expect.stringMatching(/derm-eye\/studies\.tsv: line \d+: year not an integer: 20x7/)]);
    load.db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
