import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { cachedStats } from "../../src/cache/aggregates.js";
import type { Db } from "../../src/db/client.js";
import { seededDb } from "../helpers/seeded.js";

/** A new lung study through plain SQL on the app's own connection, with an accuracy of 50%. */
function addLungStudy(db: Db) {
  const { lastInsertRowid } = db.$client
    .prepare(
      `INSERT INTO studies (review_id, organ, condition_printed, condition, method_text, strategy, year, authors_printed, source_table, source_row)
       VALUES ('dlmia-2024', 'lung', 'Lung nodule', 'lung nodule', 'Fine-tuning on VGG-16', 'fine-tuning', 2021, '[99]', 'test', 1)`,
    )
    .run();
  db.$client
    .prepare("INSERT INTO study_results (study_id, metric, value, low, high, text) VALUES (?, 'accuracy', 50, 50, 50, '50%')")
    .run(lastInsertRowid);
}

function setup() {
  const db = seededDb();
  return { db, app: createApp({ db }) };
}
const lungOf = (body: { groups: { key: { organ: string }; count: number; summary: { median: number } }[] }) =>
  body.groups.find((g) => g.key.organ === "lung");

describe("cached aggregates over HTTP", () => {
  it("answers a repeated stats request from the cache, with the same body and ETag", async () => {
    const { db, app } = setup();
    const before = cachedStats.stats(db);
    const a = await app.request("/v1/stats?group_by=organ");
    const b = await app.request("/v1/stats?group_by=organ");
    expect(a.status).toBe(200);
    expect(await b.text()).toBe(await a.text());
    expect(b.headers.get("etag")).toBe(a.headers.get("etag"));
    // The query ran once; the second answer came from the stored response, before the route.
    const after = cachedStats.stats(db);
    expect(after.misses - before.misses).toBe(1);
    expect(after.hits - before.hits).toBe(0);
  });

  it("keeps the ETag and Cache-Control on a stored answer and on its 304", async () => {
    const { app } = setup();
    const first = await app.request("/v1/trends?series=strategy");
    const stored = await app.request("/v1/trends?series=strategy");
    expect(stored.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(stored.headers.get("content-type")).toContain("application/json");
    const revalidated = await app.request("/v1/trends?series=strategy", { headers: { "If-None-Match": `"other", ${first.headers.get("etag")}` } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(revalidated.headers.get("cache-control")).toBe(first.headers.get("cache-control"));
  });

  it("does not store errors", async () => {
    const { app } = setup();
    expect((await app.request("/v1/stats?group_by=nonsense")).status).toBe(400);
    expect((await app.request("/v1/stats?group_by=nonsense")).status).toBe(400);
  });

  it("revalidates with If-None-Match: 304 while the data is unchanged", async () => {
    const { app } = setup();
    const first = await app.request("/v1/stats?group_by=organ");
    const etag = first.headers.get("etag");
    expect(etag).toBeTruthy();
    const again = await app.request("/v1/stats?group_by=organ", { headers: { "If-None-Match": etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
  });

  it("never serves the stats from before a write; the old ETag then gets a full 200", async () => {
    const { db, app } = setup();
    const first = await app.request("/v1/stats?group_by=organ");
    const etag = first.headers.get("etag")!;
    expect(lungOf(await first.json())?.count).toBe(4);

    addLungStudy(db);
    const second = await app.request("/v1/stats?group_by=organ", { headers: { "If-None-Match": etag } });
    expect(second.status).toBe(200);
    expect(second.headers.get("etag")).not.toBe(etag);
    const body = await second.json();
    expect(body.meta.count).toBe(25);
    expect(lungOf(body)?.count).toBe(5);
  });

  it("never serves trends or recommendations from before a write", async () => {
    const { db, app } = setup();
    const trends = async () => (await app.request("/v1/trends?series=organ&organ=lung")).json();
    const recs = async () => (await app.request("/v1/recommendations?organ=lung")).json();
    const t1 = await trends();
    const r1 = await recs();
    expect(await trends()).toEqual(t1);

    addLungStudy(db);
    const t2 = await trends();
    const r2 = await recs();
    expect(t2.meta.count).toBe(t1.meta.count + 1);
    expect(t2.years.find((y: { year: number }) => y.year === 2021)?.count).toBe(1);
    expect(r2.meta.count).toBe(r1.meta.count + 1);
    const fineTuning = r2.strategies.find((s: { name: string }) => s.name === "fine-tuning");
    expect(fineTuning.study_ids).toHaveLength(
      r1.strategies.find((s: { name: string }) => s.name === "fine-tuning").study_ids.length + 1,
    );
  });
});
