import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { setQueryCache } from "../../src/cache/query-cache.js";
import { DEFAULT_DATA_DIR } from "../../src/config.js";
import { openAndLoad } from "../../src/db/setup.js";
import { loadAll } from "../../src/ingest/load.js";
import { prefixTerms, resolveSearch } from "../../src/queries/study-page-plan.js";
import { listStudies } from "../../src/queries/studies.js";

const dir = mkdtempSync(join(tmpdir(), "search-terms-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the vocabulary a search is resolved against", () => {
  it("is read once per data version, also with the caches off, and again after a load", () => {
    const data = join(dir, "reviews");
    cpSync(DEFAULT_DATA_DIR, data, { recursive: true });
    const { db } = openAndLoad(join(dir, "s.db"), data);
    setQueryCache(db, false);
    const before = prefixTerms.stats(db);
    const first = resolveSearch(db, "transfer");
    expect(first.whole).toBe(true);
    expect(first.matches).toBeGreaterThan(0);
    const page = listStudies(db, { filters: { q: "transfer" }, sort: "id", limit: 5 });
    expect(resolveSearch(db, "transfer")).toEqual(first);
    expect(prefixTerms.stats(db)).toMatchObject({ misses: before.misses + 1, hits: before.hits + 2 });

    // The same review again under another id: every term is held by twice the studies.
    const copy = join(data, "dlmia-copy");
    cpSync(join(data, "dlmia-2024"), copy, { recursive: true });
    const review = JSON.parse(readFileSync(join(copy, "review.json"), "utf8"));
    writeFileSync(join(copy, "review.json"), JSON.stringify({ ...review, id: "dlmia-copy" }));
    expect(loadAll(db, data).failed).toEqual([]);
    expect(resolveSearch(db, "transfer").matches).toBe(2 * first.matches);
    expect(listStudies(db, { filters: { q: "transfer" }, sort: "id", limit: 5 }).count).toBe(2 * page.count);
    db.$client.close();
  });
});
