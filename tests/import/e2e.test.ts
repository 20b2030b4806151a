import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { importReview } from "../../src/import/import.js";
import { seededDb } from "../helpers/seeded.js";
import { dermEye } from "./helpers.js";

/** The derm-eye review imported beside the curated one, then asked through the API. */
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  const db = seededDb();
  const r = await importReview({
    studiesPath: dermEye("studies.csv"),
    referencesPath: dermEye("references.bib"),
    reviewId: "derm-eye",
    dataDir: mkdtempSync(join(tmpdir(), "litreview-e2e-")),
    db,
  });
  expect(r.loaded?.status).toBe("loaded");
  app = createApp({ db });
});

// From the CSV text alone: the printed figure on its metric's scale, by the metric names as printed.
function expectedMedians(metric: string): Record<string, number> {
  const names: Record<string, string> = { Accuracy: "accuracy", AUC: "auc", "ROC-AUC": "auc", Sensitivity: "sensitivity" };
  const rows: Record<string, string>[] = parse(readFileSync(dermEye("studies.csv")), { columns: true });
  const byOrgan: Record<string, number[]> = {};
  for (const r of rows) {
    if (names[r.Metric!] !== metric) continue;
    const percent = r.Value!.endsWith("%");
    const n = Number(r.Value!.replace("%", ""));
    const onScale = metric === "auc" ? (percent ? n / 100 : n) : percent ? n : n * 100;
    byOrgan[r["Body part"]!] = [...(byOrgan[r["Body part"]!] ?? []), onScale];
  }
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const m = (s.length - 1) / 2;
    return Math.round(((s[Math.floor(m)]! + s[Math.ceil(m)]!) / 2) * 1e4) / 1e4;
  };
  return Object.fromEntries(Object.entries(byOrgan).map(([o, xs]) => [o, median(xs)]));
}

describe("an imported review through the API", () => {
  it.each(["accuracy", "auc", "sensitivity"])("per-organ medians of %s match the CSV's, never pooled with another metric", async (metric) => {
    const res = await app.request(`/v1/stats?group_by=organ&metric=${metric}&review=derm-eye`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { groups: { key: { organ: string }; summary: { n: number; median: number | null } }[] };
    const medians = Object.fromEntries(body.groups.filter((g) => g.summary.n > 0).map((g) => [g.key.organ, g.summary.median]));
    expect(medians).toEqual(expectedMedians(metric));
  });

  it("counts each organ's studies as the CSV's distinct papers", async () => {
    const res = await app.request("/v1/stats?group_by=organ&review=derm-eye");
    const body = (await res.json()) as { groups: { key: { organ: string }; count: number }[] };
    expect(Object.fromEntries(body.groups.map((g) => [g.key.organ, g.count]))).toEqual({ chest: 1, eye: 4, kidney: 2, skin: 3 });
  });
});

describe("re-importing an edited sheet", () => {
  it("keeps every study's and work's id; the edited figure changes", async () => {
    const db = seededDb();
    const local = createApp({ db });
    const dataDir = mkdtempSync(join(tmpdir(), "litreview-e2e-"));
    const sheet = join(mkdtempSync(join(tmpdir(), "litreview-e2e-")), "studies.csv");
    const original = readFileSync(dermEye("studies.csv"), "utf8");
    const options = { studiesPath: sheet, referencesPath: dermEye("references.ris"), reviewId: "derm-eye", dataDir, db };
    type Study = { id: number; source: { row: number }; results: { metric: string; value: number }[]; citation: { reference_id: number } };
    const studies = async () => {
      const body = (await (await local.request("/v1/studies?review=derm-eye&limit=100")).json()) as { results: Study[] };
      return body.results;
    };

    writeFileSync(sheet, original);
    await importReview(options);
    const before = await studies();
    writeFileSync(sheet, original.replace("Accuracy,72.1%", "Accuracy,72.5%"));
    const second = await importReview(options);
    expect(second.loaded?.status).toBe("loaded");
    const after = await studies();

    const ids = (s: Study[]) => s.map((x) => [x.source.row, x.id, x.citation.reference_id]);
    expect(ids(after)).toEqual(ids(before));
    expect(after.find((s) => s.source.row === 2)!.results[0]).toMatchObject({ metric: "accuracy", value: 72.5 });
  });
});
