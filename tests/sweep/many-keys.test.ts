import { beforeAll, describe, expect, it } from "vitest";
import { createApp, type App } from "../../src/app.js";
import { rebuildSummaries } from "../../src/summary/build.js";
import { seededDb } from "../helpers/seeded.js";

/**
 * Lists built from the data must not outgrow SQLite's bound-parameter limit (32,766): a filter that
 * keeps more distinct conditions or organs than that must answer as any other, never 500. 40,000
 * studies, each with a condition and an organ of its own, beside the real review.
 */
const N = 40_000;
let app: App;
beforeAll(() => {
  const db = seededDb();
  const sqlite = db.$client;
  const insert = sqlite.prepare(
    `INSERT INTO studies (review_id, organ, condition_printed, condition, method_text, strategy, year, authors_printed, source_table, source_row)
     VALUES ('dlmia-2024', ?, ?, ?, 'synthetic', 'fine-tuning', ?, 'A', 'many-keys', ?)`,
  );
  const result = sqlite.prepare("INSERT INTO study_results (study_id, metric, value, low, high, text, scale) VALUES (?, 'accuracy', ?, ?, ?, ?, 'percent')");
  sqlite.transaction(() => {
    for (let i = 0; i < N; i++) {
      const { lastInsertRowid } = insert.run(`organ ${i}`, `cond ${i}`, `cond ${i}`, 2000 + (i % 20), i);
      const value = 50 + (i % 50);
      result.run(lastInsertRowid, value, value, value, `${value}%`);
    }
  })();
  // Current summaries, so the filters are answered from them (where the key lists are built).
  rebuildSummaries(sqlite);
  app = createApp({ db, cache: false });
}, 120_000);

describe(`${N.toLocaleString("en")} distinct conditions and organs`, () => {
  it.each([
    ["/v1/stats?condition=cond&group_by=organ", N],
    ["/v1/stats?condition=cond&year_from=2005&group_by=year", N * 0.75],
    // series=strategy: the list of conditions is what is under test, not a chart of 40,000 organs.
    ["/v1/trends?condition=cond&series=strategy", N],
    ["/v1/stats?organ=organ%201&group_by=organ", 1],
    ["/v1/recommendations?condition=cond", N],
  ])("%s answers 200 over every matching study", async (path, count) => {
    const res = await app.request(path);
    expect(res.status, await res.clone().text().then((t) => t.slice(0, 300))).toBe(200);
    const body = (await res.json()) as { meta?: { count: number }; count?: number };
    expect(body.meta?.count ?? body.count).toBe(count);
  });

  it.each(["organ", "-organ"])("/v1/studies?condition=cond&sort=%s pages through them", async (sort) => {
    const res = await app.request(`/v1/studies?condition=cond&sort=${sort}&limit=3`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { meta: { count: number; next_cursor: string }; results: { organ: string }[] };
    expect(body.meta.count).toBe(N);
    // Organs in text order: "organ 0", "organ 1", "organ 10", ... and from the other end "organ 9999".
    expect(body.results.map((s) => s.organ)).toEqual(sort === "organ" ? ["organ 0", "organ 1", "organ 10"] : ["organ 9999", "organ 9998", "organ 9997"]);
    const next = await app.request(`/v1/studies?condition=cond&sort=${sort}&limit=3&cursor=${body.meta.next_cursor}`);
    expect(next.status).toBe(200);
  });
});
