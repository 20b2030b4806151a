import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEFAULT_DATA_DIR } from "../../src/config.js";
import type { Db } from "../../src/db/client.js";
import { openAndLoad } from "../../src/db/setup.js";
import { listReviews } from "../../src/queries/reviews.js";
import { synthesize } from "../../src/synth/write.js";

/** /v1/reviews counts every review at once (from the column store when built); each review alone is counted from its own rows. Both agree. */
let dir: string;
let db: Db;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "litreview-reviews-"));
  const file = join(dir, "r.db");
  synthesize({ studies: 25_000, out: file, seed: 11 });
  db = openAndLoad(file, DEFAULT_DATA_DIR).db;
}, 120_000);
afterAll(() => {
  db?.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

it("lists every review with the metrics and organs it holds, as each review's own listing does", () => {
  const all = listReviews(db);
  expect(all.map((r) => r.id)).toEqual(["dlmia-2024", "synth-0001", "synth-0002", "synth-0003"]);
  expect(all.map((r) => r.studies)).toEqual([24, 10_000, 10_000, 5_000]);
  expect(all).toEqual(all.map((r) => listReviews(db, r.id)[0]));
  expect(all[0]?.organs).toEqual({ brain: 8, breast: 6, heart: 6, lung: 4 });
  expect(all[0]?.metrics).toEqual({ accuracy: 24 });
  for (const r of all) expect(Object.values(r.organs).reduce((a, b) => a + b, 0)).toBe(r.studies);
  // Keys in text order, as JSON objects keep them.
  for (const r of all) expect(Object.keys(r.organs)).toEqual(Object.keys(r.organs).sort());
});
