import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { openDb, type Db } from "../../src/db/client.js";
import { COUNT_BOUND, countStudies, countStudiesBounded, listStudies } from "../../src/queries/studies.js";
import { synthesize } from "../../src/synth/write.js";
import { countText } from "../../src/web/client/api.js";
import { seededDb } from "../helpers/seeded.js";

describe("bounded count of a full-text page", () => {
  const db = seededDb();

  it("is exact up to the bound, for q alone and with another filter", () => {
    for (const filters of [{ q: "learning" }, { q: "learning", organ: "brain" }, { q: "cnn" }, { q: "!!!" }, { organ: "lung" }]) {
      const exact = countStudies(db, filters);
      expect(countStudiesBounded(db, filters, Math.max(exact, 1))).toEqual({ count: exact, lowerBound: false });
    }
  });

  it("stops at the bound past it, and says so", () => {
    const exact = countStudies(db, { q: "learning" });
    expect(exact).toBeGreaterThan(3);
    expect(countStudiesBounded(db, { q: "learning" }, 3)).toEqual({ count: 3, lowerBound: true });
    const withOrgan = countStudies(db, { q: "learning", organ: "brain" });
    expect(withOrgan).toBeGreaterThan(1);
    expect(countStudiesBounded(db, { q: "learning", organ: "brain" }, 1)).toEqual({ count: 1, lowerBound: true });
  });

  it("never bounds a count without q", () => {
    expect(countStudiesBounded(db, {}, 3)).toEqual({ count: 24, lowerBound: false });
    expect(countStudiesBounded(db, { organ: "brain" }, 3)).toEqual({ count: 8, lowerBound: false });
  });

  it("answers count_is_lower_bound: false on every exact page", async () => {
    const app = createApp({ db });
    for (const qs of ["", "?organ=brain", "?q=learning", "?q=learning&organ=heart"]) {
      const body = (await (await app.request(`/v1/studies${qs}`)).json()) as { meta: { count: number; count_is_lower_bound: boolean } };
      expect(body.meta.count_is_lower_bound).toBe(false);
      expect(body.meta.count).toBe(countStudies(db, Object.fromEntries(new URLSearchParams(qs))));
    }
  });

  it("words the count for the dashboard", () => {
    expect(countText({ count: 1, count_is_lower_bound: false })).toBe("1 study");
    expect(countText({ count: 24, count_is_lower_bound: false })).toBe("24 studies");
    expect(countText({ count: 10_000, count_is_lower_bound: true })).toBe("10,000+ studies");
    expect(countText({ count: 1, count_is_lower_bound: true })).toBe("1+ studies");
  });
});

describe("a full-text page over more than COUNT_BOUND matches", () => {
  let dir: string;
  let big: Db;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "litreview-bound-"));
    // "fine" (fine-tuning) is in about 60% of synthetic studies: some 12,000 of these 20,000.
    synthesize({ studies: 2 * COUNT_BOUND, out: join(dir, "big.db"), seed: 3 });
    big = openDb(join(dir, "big.db"));
  }, 60_000);
  afterAll(() => {
    big.$client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers count = COUNT_BOUND with count_is_lower_bound: true, and the same first page", async () => {
    const word = "fine";
    const exact = countStudies(big, { q: word });
    expect(exact).toBeGreaterThan(COUNT_BOUND);
    const res = await createApp({ db: big, cache: false }).request(`/v1/studies?q=${word}&limit=5`);
    const body = (await res.json()) as { meta: { count: number; count_is_lower_bound: boolean }; results: { id: number }[] };
    expect(body.meta).toMatchObject({ count: COUNT_BOUND, count_is_lower_bound: true });
    const page = listStudies(big, { filters: { q: word }, sort: "id", limit: 5 });
    expect(body.results.map((s) => s.id)).toEqual(page.results.map((s) => s.id));
    const csv = await createApp({ db: big, cache: false }).request(`/v1/studies?q=${word}&limit=5&format=csv`);
    expect(csv.headers.get("x-total-count")).toBe(String(COUNT_BOUND));
    expect(csv.headers.get("x-total-count-is-lower-bound")).toBe("true");
  });
});
