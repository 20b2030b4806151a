import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { DEFAULT_DATA_DIR } from "../../src/config.js";
import { openAndLoad } from "../../src/db/setup.js";
import { loadAll } from "../../src/ingest/load.js";

const sha1 = (s: string) => `"${createHash("sha1").update(s).digest("hex")}"`;
const dir = mkdtempSync(join(tmpdir(), "page-text-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Page = { meta: Record<string, unknown> & { provenance: { id: string }[] }; results: { id: number }[] };

// A page of studies is written from parts (its provenance kept as text per data version): the text
// must be what c.json would have sent for the same answer, and its ETag the SHA-1 of that text.
describe("a page of studies as sent", () => {
  it("is the JSON.stringify of its answer, meta in its documented order, tagged with its SHA-1", async () => {
    const { db } = openAndLoad(":memory:", DEFAULT_DATA_DIR);
    const app = createApp({ db });
    for (const query of ["limit=5", "limit=5&organ=brain&sort=-accuracy", "limit=5&review=dlmia-2024&format=json", "q=zzzz"]) {
      const res = await app.request(`/v1/studies?${query}`);
      expect(res.status, query).toBe(200);
      expect(res.headers.get("content-type"), query).toMatch(/^application\/json/);
      const text = await res.text();
      const page = JSON.parse(text) as Page;
      expect(text, query).toBe(JSON.stringify(page));
      expect(Object.keys(page.meta), query).toEqual(["count", "count_is_lower_bound", "limit", "sort", "next_cursor", "provenance"]);
      expect(page.meta.provenance.map((p) => p.id), query).toEqual(["dlmia-2024"]);
      expect(res.headers.get("etag"), query).toBe(sha1(text));
      const again = await app.request(`/v1/studies?${query}`, { headers: { "If-None-Match": sha1(text) } });
      expect(again.status, query).toBe(304);
    }
    db.$client.close();
  });

  it("names the reviews loaded now, not those of the first page served", async () => {
    const data = join(dir, "reviews");
    cpSync(DEFAULT_DATA_DIR, data, { recursive: true });
    const { db } = openAndLoad(join(dir, "p.db"), data);
    const app = createApp({ db });
    const ids = async () => ((await (await app.request("/v1/studies?limit=1")).json()) as Page).meta.provenance.map((p) => p.id);
    expect(await ids()).toEqual(["dlmia-2024"]);
    // A second review folder: the curated one again under another id.
    const copy = join(data, "dlmia-copy");
    cpSync(join(data, "dlmia-2024"), copy, { recursive: true });
    const review = JSON.parse(readFileSync(join(copy, "review.json"), "utf8"));
    writeFileSync(join(copy, "review.json"), JSON.stringify({ ...review, id: "dlmia-copy" }));
    expect(loadAll(db, data).failed).toEqual([]);
    expect(await ids()).toEqual(["dlmia-2024", "dlmia-copy"]);
    db.$client.close();
  });
});
