import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { cachedMetrics, cachedStats, cachedTrends } from "../../src/cache/aggregates.js";
import { readConfig } from "../../src/config.js";
import { seededDb } from "../helpers/seeded.js";

const counters = (db: Parameters<typeof cachedStats.stats>[0]) => [cachedStats.stats(db), cachedTrends.stats(db), cachedMetrics.stats(db)];

describe("LITREVIEW_CACHE=off", () => {
  it("is parsed from the environment, on by default, and rejects other values", () => {
    expect(readConfig({}).LITREVIEW_CACHE).toBe("on");
    expect(readConfig({ LITREVIEW_CACHE: "off" }).LITREVIEW_CACHE).toBe("off");
    expect(() => readConfig({ LITREVIEW_CACHE: "no" })).toThrow();
  });

  it("answers every request with its query: neither cache stores or serves anything", async () => {
    const db = seededDb();
    const app = createApp({ db, cache: false });
    const before = counters(db);
    const a = await app.request("/v1/stats?group_by=organ");
    const b = await app.request("/v1/stats?group_by=organ");
    await app.request("/v1/trends?series=strategy");
    expect(a.status).toBe(200);
    expect(await b.text()).toBe(await a.text());
    // A bypassed call counts neither a hit nor a miss, and nothing is kept.
    expect(counters(db)).toEqual(before);
  });

  it("sees a write at once, without relying on the caches' data version", async () => {
    const db = seededDb();
    const app = createApp({ db, cache: false });
    const count = async () => ((await (await app.request("/v1/stats?group_by=organ")).json()) as { meta: { count: number } }).meta.count;
    const before = await count();
    db.$client.prepare("DELETE FROM studies WHERE id = (SELECT min(id) FROM studies)").run();
    expect(await count()).toBe(before - 1);
  });

  it("still rejects an unknown metric and answers a known one over no studies", async () => {
    const db = seededDb();
    const app = createApp({ db, cache: false });
    const unknown = await app.request("/v1/stats?group_by=organ&metric=auc");
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { detail: string }).detail).toContain("known metrics: accuracy");
    const none = await app.request("/v1/stats?group_by=organ&organ=kidney&metric=accuracy");
    expect(none.status).toBe(200);
    expect(((await none.json()) as { meta: { count: number } }).meta.count).toBe(0);
  });

  it("keeps the provenance cached, and a loaded review still shows in the next answer", async () => {
    const db = seededDb();
    const app = createApp({ db, cache: false });
    const sources = async () =>
      ((await (await app.request("/v1/studies?limit=1")).json()) as { meta: { provenance: { id: string }[] } }).meta.provenance.map((p) => p.id);
    expect(await sources()).toEqual(["dlmia-2024"]);
    db.$client
      .prepare(
        `INSERT INTO reviews (id, title, authors, affiliations, keywords, citation, source_file, data_hash, loaded_at)
         VALUES ('zz-review', 'Another', '[]', '[]', '[]', 'Someone (2025) Another.', 'x', 'h', 'now')`,
      )
      .run();
    expect(await sources()).toEqual(["dlmia-2024", "zz-review"]);
    expect((await app.request("/v1/studies?review=zz-review")).status).toBe(200);
    expect((await app.request("/v1/studies?review=nope")).status).toBe(400);
  });

  it("still sends ETag and Cache-Control, and a matching If-None-Match gets a 304", async () => {
    const db = seededDb();
    const app = createApp({ db, cache: false });
    for (const path of ["/v1/stats?group_by=organ", "/v1/studies?organ=brain", "/v1/trends?series=strategy"]) {
      const first = await app.request(path);
      const etag = first.headers.get("etag");
      expect(etag, path).toMatch(/^"[0-9a-f]+"$|^W\/"[0-9a-f]+"$/);
      expect(first.headers.get("cache-control"), path).toMatch(/max-age=/);
      const again = await app.request(path, { headers: { "If-None-Match": etag! } });
      expect(again.status, path).toBe(304);
      expect(await again.text(), path).toBe("");
      expect(again.headers.get("etag"), path).toBe(etag);
      expect(again.headers.get("cache-control"), path).toBe(first.headers.get("cache-control"));
      const other = await app.request(path, { headers: { "If-None-Match": '"not-this-one"' } });
      expect(other.status, path).toBe(200);
    }
  });

  it("is per connection: an app built with the caches on, on another connection, still caches", async () => {
    const off = seededDb();
    createApp({ db: off, cache: false });
    const on = seededDb();
    const app = createApp({ db: on });
    const before = cachedStats.stats(on);
    await app.request("/v1/stats?group_by=strategy");
    expect(cachedStats.stats(on).misses - before.misses).toBe(1);
  });
});
