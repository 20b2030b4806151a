import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDb, openDb } from "../../src/db/client.js";
import { contentHash } from "../../src/synth/hash.js";
import { synthesize } from "../../src/synth/write.js";

// 12,000 studies: enough for a second review (one per 10,000), small enough to run in a second.
const N = 12_000;
let dir: string;
const file = (name: string) => join(dir, name);
const hashOf = (path: string) => {
  const sqlite = new Database(path, { readonly: true });
  try {
    return contentHash(sqlite);
  } finally {
    sqlite.close();
  }
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "litreview-synth-"));
  synthesize({ studies: N, out: file("a.db"), seed: 7 });
  synthesize({ studies: N, out: file("b.db"), seed: 7 });
  synthesize({ studies: N, out: file("c.db"), seed: 8 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("synth determinism", () => {
  it("writes identical content for the same seed", () => {
    expect(hashOf(file("a.db"))).toBe(hashOf(file("b.db")));
  });

  it("writes different content for a different seed", () => {
    expect(hashOf(file("a.db"))).not.toBe(hashOf(file("c.db")));
  });
});

describe("synth corpus", () => {
  let db: Database.Database;
  beforeAll(() => {
    db = new Database(file("a.db"), { readonly: true });
  });
  afterAll(() => db.close());
  const one = (sql: string) => db.prepare(sql).pluck().get();

  it("holds the requested studies, one review per 10,000", () => {
    expect(one("SELECT count(*) FROM studies")).toBe(N);
    const perReview = db.prepare("SELECT review_id, count(*) AS n FROM studies GROUP BY review_id ORDER BY review_id").all();
    expect(perReview).toEqual([
      { review_id: "synth-0001", n: 10_000 },
      { review_id: "synth-0002", n: 2_000 },
    ]);
    expect(one("SELECT count(*) FROM reviews")).toBe(2);
  });

  it("gives every study 1 to 3 backbones, a year in 2000-2025 and a citation link", () => {
    const backbones = db
      .prepare("SELECT n, count(*) AS studies FROM (SELECT count(*) AS n FROM study_backbones GROUP BY study_id) GROUP BY n ORDER BY n")
      .all() as { n: number; studies: number }[];
    expect(backbones.map((b) => b.n)).toEqual([1, 2, 3]);
    expect(backbones.reduce((sum, b) => sum + b.studies, 0)).toBe(N);
    expect(one("SELECT min(year) >= 2000 AND max(year) <= 2025 FROM studies")).toBe(1);
    expect(one("SELECT count(DISTINCT year) FROM studies")).toBeGreaterThan(20);
    expect(one("SELECT count(*) FROM citation_links")).toBe(N);
  });

  it("mixes organs, conditions and all three strategies", () => {
    expect(one("SELECT count(DISTINCT organ) FROM studies")).toBeGreaterThanOrEqual(10);
    expect(one("SELECT count(DISTINCT condition) FROM studies")).toBeGreaterThan(30);
    const strategies = db.prepare("SELECT DISTINCT strategy FROM studies ORDER BY strategy").pluck().all();
    expect(strategies).toEqual([null, "combined", "feature-extraction", "fine-tuning"]);
  });

  it("reports single accuracies, ranges and missing values", () => {
    const single = one("SELECT count(*) FROM study_results WHERE low = high") as number;
    const range = one("SELECT count(*) FROM study_results WHERE low < high AND value = round((low + high) / 2, 6)") as number;
    const missing = N - (one("SELECT count(*) FROM study_results") as number);
    expect(single).toBeGreaterThan(N * 0.7);
    expect(range).toBeGreaterThan(N * 0.04);
    expect(missing).toBeGreaterThan(N * 0.08);
  });

  it("writes works with authors that the studies cite", () => {
    expect(one("SELECT count(*) FROM works WHERE json_array_length(authors) BETWEEN 1 AND 6")).toBe(one("SELECT count(*) FROM works"));
    expect(one("SELECT count(*) FROM citation_links WHERE work_id IS NOT NULL")).toBeGreaterThan(N * 0.9);
    expect(db.prepare("PRAGMA foreign_key_check").all()).toEqual([]);
  });

  it("ends with the schema, indexes and triggers the migrations define, and a filled full-text index", () => {
    const fresh = openDb(":memory:");
    migrateDb(fresh);
    const schemaOf = (d: Database.Database) =>
      d.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all();
    expect(schemaOf(db)).toEqual(schemaOf(fresh.$client));
    fresh.$client.close();
    const ftsExists = one("SELECT count(*) FROM sqlite_master WHERE name = 'studies_fts'");
    if (ftsExists) expect(one("SELECT count(*) FROM studies_fts")).toBe(N);
  });
});
