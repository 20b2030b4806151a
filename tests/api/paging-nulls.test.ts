import { beforeAll, describe, expect, it } from "vitest";
import { createApp, type App } from "../../src/app.js";
import { seededDb } from "../helpers/seeded.js";

/**
 * The seeded review has a year and an accuracy for every study; a second review may not. Here
 * three studies lose their year and two their accuracy, and every walk must still visit each
 * study once, in the order a single page gives, with the missing values lowest.
 */
let app: App;
const NO_YEAR = [2, 9, 20];
const NO_ACCURACY = [5, 17];
beforeAll(() => {
  const db = seededDb();
  db.$client.prepare(`update studies set year = null where id in (${NO_YEAR.join(",")})`).run();
  db.$client.prepare(`delete from study_results where metric = 'accuracy' and study_id in (${NO_ACCURACY.join(",")})`).run();
  app = createApp({ db });
});

type Page = { meta: { count: number; next_cursor: string | null }; results: { id: number; year: number | null; accuracy: { value: number } | null }[] };
const get = async (q: string) => (await (await app.request(`/v1/studies?${q}`)).json()) as Page;

async function walk(sort: string, limit: number) {
  const ids: number[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const p: Page = await get(`sort=${sort}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
    ids.push(...p.results.map((s) => s.id));
    cursor = p.meta.next_cursor;
    pages++;
  } while (cursor !== null && pages < 50);
  return { ids, pages };
}

describe("keyset paging over missing sort keys", () => {
  it.each(["year", "-year", "accuracy", "-accuracy"])("sort=%s walks in pages of 2 and 5 exactly like one page", async (sort) => {
    const all = (await get(`sort=${sort}&limit=500`)).results.map((s) => s.id);
    expect(new Set(all).size).toBe(24);
    for (const limit of [2, 5]) {
      const { ids, pages } = await walk(sort, limit);
      expect(ids).toEqual(all);
      expect(pages).toBe(Math.ceil(24 / limit));
    }
  });

  it("puts missing years first ascending (by id) and last descending (by id descending)", async () => {
    expect((await get("sort=year&limit=3")).results.map((s) => s.id)).toEqual(NO_YEAR);
    expect((await get("sort=-year&limit=500")).results.slice(-3).map((s) => s.id)).toEqual([...NO_YEAR].reverse());
  });

  it("puts missing accuracies first ascending and last descending", async () => {
    expect((await get("sort=accuracy&limit=2")).results.map((s) => [s.id, s.accuracy])).toEqual([
      [5, null],
      [17, null],
    ]);
    expect((await get("sort=-accuracy&limit=500")).results.slice(-2).map((s) => s.id)).toEqual([17, 5]);
  });

  it("a page that ends inside the missing stretch continues into the rest", async () => {
    const first = await get("sort=year&limit=2");
    expect(first.results.map((s) => s.id)).toEqual([2, 9]);
    const second = await get(`sort=year&limit=2&cursor=${first.meta.next_cursor}`);
    expect(second.results.map((s) => s.id)).toEqual([20, 1]);
  });
});
