import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type App } from "../../src/app.js";
import { DEFAULT_DATA_DIR } from "../../src/config.js";
import type { Db } from "../../src/db/client.js";
import { openAndLoad } from "../../src/db/setup.js";

/**
 * A second review beside the first: a copy of dlmia-2024 under another id, with its first study
 * turned into a kidney study. Filters, full-text search and provenance must keep them apart.
 */
let dir: string;
let db: Db;
let app: App;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "litreview-reviews-"));
  cpSync(join(DEFAULT_DATA_DIR, "dlmia-2024"), join(dir, "dlmia-2024"), { recursive: true });
  const second = join(dir, "second-2025");
  cpSync(join(DEFAULT_DATA_DIR, "dlmia-2024"), second, { recursive: true });
  const review = JSON.parse(readFileSync(join(second, "review.json"), "utf8"));
  writeFileSync(join(second, "review.json"), JSON.stringify({ ...review, id: "second-2025", citation: "A second review (2025)." }));
  const studies = readFileSync(join(second, "studies.tsv"), "utf8");
  const edited = studies.replace(
    "\tbrain\t[10]\t2015\tMedulloblastoma tumor\tmedulloblastoma\t",
    "\tkidney\t[10]\t2015\tRenal cell carcinoma\trenal cell carcinoma\t",
  );
  expect(edited).not.toBe(studies);
  writeFileSync(join(second, "studies.tsv"), edited);
  db = openAndLoad(":memory:", dir).db;
  app = createApp({ db });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const get = async <T>(path: string) => {
  const res = await app.request(path);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
};
type Page = { meta: { count: number; provenance: { id: string; citation: string }[] }; results: { id: number; organ: string }[] };

describe("two reviews loaded side by side", () => {
  it("lists both, names both in the provenance, and filters by review", async () => {
    const all = await get<Page>("/v1/studies?limit=500");
    expect(all.meta.count).toBe(48);
    expect(all.meta.provenance.map((r) => r.id)).toEqual(["dlmia-2024", "second-2025"]);
    const second = await get<Page>("/v1/studies?review=second-2025");
    expect(second.meta.count).toBe(24);
    expect(second.meta.provenance).toEqual([expect.objectContaining({ id: "second-2025", citation: "A second review (2025)." })]);
  });

  it("indexes the second review for full-text search, one FTS row per study", async () => {
    expect(db.$client.prepare("select count(*) as n from studies_fts").get()).toEqual({ n: 48 });
    const renal = await get<Page>("/v1/studies?q=renal");
    expect(renal.results.map((s) => s.organ)).toEqual(["kidney"]);
    // The renamed study's linked work still names medulloblastoma in its title, so both match.
    expect((await get<Page>("/v1/studies?q=medulloblastoma")).results.map((s) => s.organ)).toEqual(["brain", "kidney"]);
    expect((await get<Page>("/v1/studies?q=mammographic")).meta.count).toBe(2);
    expect((await get<Page>("/v1/studies?q=mammographic&review=dlmia-2024")).meta.count).toBe(1);
  });

  it("keeps the FTS index in step when a study's linked work changes", async () => {
    const before = (await get<Page>("/v1/studies?q=renal")).results[0]!.id;
    // The work is one row cited by both reviews: retitling it reindexes the studies of both.
    const citing = (await get<Page>("/v1/studies?q=medulloblastoma")).results.map((s) => s.id);
    expect(citing).toContain(before);
    expect(citing).toHaveLength(2);
    db.$client.prepare("update works set title = 'Zebra finch imaging' where id = (select work_id from citation_links where study_id = ?)").run(before);
    expect((await get<Page>("/v1/studies?q=zebra")).results.map((s) => s.id)).toEqual(citing);
    db.$client.prepare("delete from studies where id = ?").run(before);
    expect((await get<Page>("/v1/studies?q=zebra")).meta.count).toBe(1);
    expect(db.$client.prepare("select count(*) as n from studies_fts").get()).toEqual({ n: 47 });
  });

  it("scopes recommendations and stats to one review", async () => {
    const kidney = await get<{ meta: { count: number } }>("/v1/recommendations?organ=kidney&review=dlmia-2024");
    expect(kidney.meta.count).toBe(0);
    const stats = await get<{ meta: { count: number } }>("/v1/stats?review=dlmia-2024");
    expect(stats.meta.count).toBe(24);
  });
});
