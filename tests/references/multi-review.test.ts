import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type App } from "../../src/app.js";
import { DEFAULT_DATA_DIR } from "../../src/config.js";
import { openAndLoad } from "../../src/db/setup.js";
import type { Reference } from "../../src/queries/references.js";

/**
 * The curated review loaded twice, under two ids: every work is cited by both, so it is one work
 * with both reviews named; each review's entries and studies stay apart.
 */
let dir: string;
let app: App;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "litreview-refs-"));
  cpSync(join(DEFAULT_DATA_DIR, "dlmia-2024"), join(dir, "dlmia-2024"), { recursive: true });
  const second = join(dir, "copy-2025");
  cpSync(join(DEFAULT_DATA_DIR, "dlmia-2024"), second, { recursive: true });
  const review = JSON.parse(readFileSync(join(second, "review.json"), "utf8"));
  writeFileSync(join(second, "review.json"), JSON.stringify({ ...review, id: "copy-2025", citation: "A copy (2025)." }));
  app = createApp({ db: openAndLoad(":memory:", dir).db });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Page = { meta: { count: number; provenance: { id: string }[] }; results: Reference[] };
const get = async <T>(path: string) => {
  const res = await app.request(path);
  expect(res.status, path).toBe(200);
  return res.headers.get("content-type")?.startsWith("application/json") ? ((await res.json()) as T) : ((await res.text()) as T);
};

describe("references with two reviews", () => {
  it("lists each work once, naming both reviews, and filters by review", async () => {
    const all = await get<Page>("/v1/references?limit=500");
    expect(all.meta.count).toBe(53);
    expect(all.results.every((r) => r.reviews.join() === "copy-2025,dlmia-2024")).toBe(true);
    expect(all.meta.provenance.map((p) => p.id)).toEqual(["copy-2025", "dlmia-2024"]);
    const copy = await get<Page>("/v1/references?review=copy-2025&limit=500");
    expect(copy.meta.count).toBe(53);
    expect(copy.results.map((r) => r.id)).toEqual(all.results.map((r) => r.id));
    expect(copy.meta.provenance.map((p) => p.id)).toEqual(["copy-2025"]);
  });

  it("links each review's works to that review's studies only", async () => {
    for (const review of ["dlmia-2024", "copy-2025"]) {
      const cited = await get<Page>(`/v1/references?review=${review}&cited=true&limit=500`);
      expect(cited.meta.count).toBe(24);
      const studyIds = cited.results.flatMap((r) => r.study_ids);
      expect(new Set(studyIds).size).toBe(24);
      for (const id of studyIds.slice(0, 3)) {
        const study = await get<{ result: { review: string } }>(`/v1/studies/${id}`);
        expect(study.result.review).toBe(review);
      }
    }
    const cruz = await get<Page>("/v1/references?q=medulloblastoma");
    expect(cruz.results.map((r) => [r.reviews, r.printed_numbers, r.study_ids.length])).toEqual([[["copy-2025", "dlmia-2024"], [8, 13, 8, 13], 2]]);
    const one = await get<Page>("/v1/references?q=medulloblastoma&review=dlmia-2024");
    expect(one.results.map((r) => [r.printed_numbers, r.study_ids.length])).toEqual([[[8, 13], 1]]);
  });

  it("exports a work both reviews cite once, with its own key", async () => {
    const bib = await get<string>("/v1/references?format=bibtex");
    const keys = bib.match(/^@\w+\{([^,]+),$/gm) ?? [];
    expect(keys).toHaveLength(53);
    expect(new Set(keys).size).toBe(53);
  });
});

describe("methods with two reviews", () => {
  it("counts both reviews' items, or one review's", async () => {
    const all = await get<{ kinds: { kind: string; count: number }[] }>("/v1/methods");
    expect(all.kinds.find((k) => k.kind === "pooling-methods")?.count).toBe(8);
    const one = await get<{ kinds: { kind: string; count: number }[] }>("/v1/methods?review=copy-2025");
    expect(one.kinds.map((k) => k.count)).toEqual([5, 4, 4, 5, 4, 6]);
    const items = await get<{ items: { review: string }[] }>("/v1/methods/pooling-methods?review=dlmia-2024");
    expect(items.items.map((i) => i.review)).toEqual(["dlmia-2024", "dlmia-2024", "dlmia-2024", "dlmia-2024"]);
  });
});
