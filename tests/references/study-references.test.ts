import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.js";
import { type Db, openDb } from "../../src/db/client.js";
import type { StudyFilters } from "../../src/queries/filters.js";
import { allReferences, countReferences, listReferences } from "../../src/queries/references.js";
import { synthesize } from "../../src/synth/write.js";
import { seededApp } from "../helpers/seeded.js";

/**
 * /v1/studies/references: the works cited by the studies a set of filters matches, the
 * dashboard's reference downloads. Checked against the studies the same filters list.
 */
let app: App;
beforeAll(() => {
  app = seededApp().app;
});

type Page = { meta: { count: number; next_cursor: string | null }; results: { id: number; study_ids: number[] }[] };
const json = async <T>(url: string): Promise<T> => {
  const res = await app.request(url);
  expect(res.status, url).toBe(200);
  return (await res.json()) as T;
};
/** The distinct works the matching studies cite, ascending, from /v1/studies itself. */
async function citedBy(query: string): Promise<number[]> {
  const page = await json<{ results: { citation: { reference_id: number | null } | null }[] }>(`/v1/studies?${query}&limit=500`);
  return [...new Set(page.results.map((s) => s.citation?.reference_id).filter((id): id is number => id != null))].sort((a, b) => a - b);
}

describe("GET /v1/studies/references", () => {
  it.each(["organ=heart", "organ=brain&strategy=fine-tuning", "q=transfer", "accuracy_min=95", "year_from=2019&modality=MRI", "organ=kidney"])(
    "lists exactly the works the studies of %s cite",
    async (query) => {
      const expected = await citedBy(query);
      const page = await json<Page>(`/v1/studies/references?${query}&limit=500`);
      expect(page.results.map((r) => r.id)).toEqual(expected);
      expect(page.meta.count).toBe(expected.length);
    },
  );

  it("has works to list for a real view, and pages them by cursor", async () => {
    expect(await citedBy("organ=heart")).toHaveLength(6);
    const all = await citedBy("organ=brain");
    expect(all.length).toBeGreaterThan(3);
    const first = await json<Page>("/v1/studies/references?organ=brain&limit=2");
    const second = await json<Page>(`/v1/studies/references?organ=brain&limit=2&cursor=${first.meta.next_cursor}`);
    expect([...first.results, ...second.results].map((r) => r.id)).toEqual(all.slice(0, 4));
  });

  it("downloads them as BibTeX and RIS, one entry a work", async () => {
    const expected = await citedBy("organ=heart");
    for (const [format, entry] of [["bibtex", /^@\w+\{/gm], ["ris", /^TY {2}- /gm]] as const) {
      const res = await app.request(`/v1/studies/references?organ=heart&format=${format}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("x-total-count")).toBe(String(expected.length));
      expect((await res.text()).match(entry)?.length).toBe(expected.length);
    }
  });

  it("refuses bad input with a problem and leaves /v1/studies/{id} alone", async () => {
    for (const url of ["/v1/studies/references?bogus=1", "/v1/studies/references?year_from=abc", "/v1/studies/references?format=ris&limit=5", "/v1/studies/references?strategy=guessing"]) {
      const res = await app.request(url);
      expect(res.status, url).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect((await app.request("/v1/studies/1")).status).toBe(200);
    const doc = await json<{ paths: Record<string, unknown> }>("/openapi.json");
    expect(Object.keys(doc.paths)).toContain("/v1/studies/references");
  });
});

describe("the references of a view from the column store", () => {
  let dir: string;
  let db: Db;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "litreview-viewrefs-"));
    synthesize({ studies: 6_000, out: join(dir, "v.db"), seed: 8 });
    db = openDb(join(dir, "v.db"));
  });
  afterAll(() => {
    db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  });
  // Inside a write transaction the store steps aside: the same question answered by the SQL join.
  const bySql = <T>(read: () => T): T => db.$client.transaction(read)();
  const ids = (refs: { id: number }[]) => refs.map((r) => r.id);

  it.each<StudyFilters>([{}, { organ: "brain" }, { review: "synth-0001", strategy: "fine-tuning" }, { q: "transfer", year_from: 2016 }, { accuracy_min: 95 }, { organ: "nowhere" }])(
    "answers %o as the SQL join does: count, pages by cursor and the download's batches",
    (citedBy) => {
      const count = countReferences(db, { citedBy });
      expect(count).toBe(bySql(() => countReferences(db, { citedBy })));
      const first = listReferences(db, { citedBy, limit: 7 });
      expect(first).toEqual(bySql(() => listReferences(db, { citedBy, limit: 7 })));
      if (first.next_cursor) {
        const cursor = { id: first.results.at(-1)!.id };
        expect(listReferences(db, { citedBy, limit: 7, cursor })).toEqual(bySql(() => listReferences(db, { citedBy, limit: 7, cursor })));
      }
      const every = allReferences(db, { citedBy, scope: citedBy.review });
      expect(every).toEqual(bySql(() => allReferences(db, { citedBy, scope: citedBy.review })));
      expect(every).toHaveLength(count);
      if (citedBy.organ !== "nowhere") expect(count).toBeGreaterThan(7);
      expect(ids(every)).toEqual([...ids(every)].sort((a, b) => a - b));
    },
  );
});
