import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_DATA_DIR } from "../../src/config.js";
import { type Db, openDb } from "../../src/db/client.js";
import { loadReview } from "../../src/ingest/load.js";
import { listReviewDirs, readReviewFiles } from "../../src/ingest/review-files.js";
import type { StudyFilters } from "../../src/queries/filters.js";
import { GROUP_KEYS, type GroupKey } from "../../src/queries/group-keys.js";
import { recommend } from "../../src/queries/recommendations.js";
import { getStats } from "../../src/queries/stats.js";
import { countStudies } from "../../src/queries/study-count.js";
import { getTrends, SERIES } from "../../src/queries/trends.js";
import { applyReview, rebuildSummaries, summariesCurrent } from "../../src/summary/build.js";
import { synthesize } from "../../src/synth/write.js";
import { sameMeans } from "../helpers/same-means.js";
import { seededDb } from "../helpers/seeded.js";

/** Every summary row, in one order, so two states of the tables compare with toEqual. */
function dump(db: Db) {
  const q = (sql: string) => db.$client.prepare(sql).all();
  return {
    counts: q("SELECT grouping, k0, k1, k2, n FROM summary_counts ORDER BY 1, 2, 3, 4"),
    bins: q("SELECT grouping, metric, k0, k1, k2, bin, n, total FROM summary_bins ORDER BY 1, 2, 3, 4, 5, 6"),
    values: q("SELECT grouping, metric, k0, k1, k2, value, n FROM summary_values ORDER BY 1, 2, 3, 4, 5, 6"),
  };
}


/** Runs a query twice: from the summaries, then with them marked stale (so by the scan). */
function bothWays<T>(db: Db, query: () => T): { summary: T; scan: T } {
  expect(summariesCurrent(db.$client)).toBe(true);
  const summary = query();
  const state = db.$client.prepare("SELECT built_generation FROM summary_state").pluck().get();
  db.$client.exec("UPDATE summary_state SET built_generation = NULL");
  try {
    return { summary: sameMeans(summary), scan: sameMeans(query()) };
  } finally {
    db.$client.prepare("UPDATE summary_state SET built_generation = ?").run(state);
  }
}

const FILTERS: StudyFilters[] = [
  {},
  { organ: "brain" },
  { strategy: "fine-tuning" },
  { backbone: "VGG-16" },
  { modality: "MRI" },
  { condition: "tumor" },
  { condition: "TUMOR" },
  { year_from: 2018 },
  { year_from: 2018, year_to: 2020 },
  { review: "synth-0001" },
  { organ: "brain", strategy: "fine-tuning" },
  { organ: "lung", backbone: "ResNet-50" },
  { organ: "nowhere" },
];
const GROUPINGS: GroupKey[][] = [...GROUP_KEYS.map((k) => [k]), ["organ", "strategy"], ["strategy", "organ"], ["organ", "backbone"]];

describe("summary tables on a synthetic corpus", () => {
  let dir: string;
  let db: Db;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "litreview-summary-"));
    synthesize({ studies: 4_000, out: join(dir, "c.db"), seed: 5 });
    db = openDb(join(dir, "c.db"));
  });
  afterAll(() => {
    db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("are built by synth and answer stats exactly as the scan does, for every filter and grouping", () => {
    expect(summariesCurrent(db.$client)).toBe(true);
    expect(db.$client.prepare("SELECT count(*) FROM summary_counts WHERE grouping = 'organ'").pluck().get()).toBe(12);
    for (const filters of FILTERS) {
      for (const groupBy of GROUPINGS) {
        const { summary, scan } = bothWays(db, () => getStats(db, { filters, groupBy, metric: "accuracy" }));
        expect(summary, JSON.stringify({ filters, groupBy })).toEqual(scan);
      }
    }
  });

  it("answer trends and recommendations exactly as the scan does", () => {
    for (const filters of [{}, { organ: "brain" }, { year_from: 2010, year_to: 2015 }]) {
      for (const series of SERIES) {
        const { summary, scan } = bothWays(db, () => getTrends(db, { filters, series }));
        expect(summary, JSON.stringify({ filters, series })).toEqual(scan);
      }
    }
    for (const domain of [{}, { organ: "brain" }, { organ: "kidney" }, { organ: "teeth" }, { organ: "nowhere" }]) {
      const { summary, scan } = bothWays(db, () => recommend(db, domain));
      expect(summary, JSON.stringify(domain)).toEqual(scan);
    }
  });

  it("count studies for every single filter and accuracy range as the scan does", () => {
    const ranges: StudyFilters[] = [
      { accuracy_min: 95 },
      { accuracy_min: 90, accuracy_max: 90.5 },
      { accuracy_min: 90.25, accuracy_max: 97.75 },
      { accuracy_max: 60 },
      { accuracy_min: 99.99 },
      { accuracy_min: 80, accuracy_max: 70 },
      { organ: "brain", accuracy_min: 85 },
      { condition: "cancer", accuracy_max: 88.5 },
    ];
    for (const filters of [...FILTERS, ...ranges]) {
      const { summary, scan } = bothWays(db, () => countStudies(db, filters));
      expect(summary, JSON.stringify(filters)).toBe(scan);
    }
    // The exact counts for two filters, straight from the rows.
    const sql = (s: string) => db.$client.prepare(s).pluck().get();
    expect(countStudies(db, { organ: "brain" })).toBe(sql("SELECT count(*) FROM studies WHERE organ = 'brain'"));
    expect(countStudies(db, { accuracy_min: 95 })).toBe(sql("SELECT count(*) FROM study_results WHERE metric = 'accuracy' AND value >= 95"));
    // The full-text search alone is counted in its own index; with another filter, by the scan.
    const transfer = sql(`SELECT count(*) FROM studies WHERE id IN (SELECT rowid FROM studies_fts WHERE studies_fts MATCH '"transfer"*')`);
    expect(transfer).toBeGreaterThan(0);
    expect(countStudies(db, { q: "transfer" })).toBe(transfer);
    expect(countStudies(db, { q: "!!!" })).toBe(0);
    expect(countStudies(db, { q: "transfer", organ: "brain" })).toBe(
      sql(`SELECT count(*) FROM studies WHERE organ = 'brain' AND id IN (SELECT rowid FROM studies_fts WHERE studies_fts MATCH '"transfer"*')`),
    );
  });

  it("subtracting a review and deleting it leaves what a rebuild gives", () => {
    const sqlite = db.$client;
    const before = dump(db);
    const subtractAndCompare = sqlite.transaction(() => {
      applyReview(sqlite, "synth-0000", -1);
      sqlite.prepare("DELETE FROM reviews WHERE id = 'synth-0000'").run();
      const incremental = dump(db);
      rebuildSummaries(sqlite);
      expect(incremental).toEqual(dump(db));
      expect(incremental.counts.length).toBeGreaterThan(0);
      throw new Error("rollback");
    });
    expect(subtractAndCompare).toThrow("rollback");
    expect(dump(db)).toEqual(before);
  }, 30_000);
});

describe("summary tables kept by the loader", () => {
  it("are current after loading the seeded review and equal a rebuild", () => {
    const db = seededDb();
    expect(summariesCurrent(db.$client)).toBe(true);
    const loaded = dump(db);
    expect(loaded.counts).toContainEqual({ grouping: "organ", k0: "brain", k1: null, k2: null, n: 8 });
    rebuildSummaries(db.$client);
    expect(dump(db)).toEqual(loaded);
  });

  it("follow an edited review in the same transaction", () => {
    const db = seededDb();
    const [dir] = listReviewDirs(DEFAULT_DATA_DIR);
    const files = readReviewFiles(dir!);
    const edited = { ...files, hash: `${files.hash}-edited`, studies: files.studies.map((s, i) => (i < 3 ? { ...s, organ: "kidney", year: 2021 } : s)) };
    expect(loadReview(db, edited).status).toBe("loaded");
    expect(summariesCurrent(db.$client)).toBe(true);
    expect(countStudies(db, { organ: "kidney" })).toBe(3);
    expect(countStudies(db, { organ: "brain" })).toBe(5);
    const incremental = dump(db);
    rebuildSummaries(db.$client);
    expect(dump(db)).toEqual(incremental);
  });

  it("go stale on a write by another program, and the answers follow the data", () => {
    const db = seededDb();
    expect(getStats(db, { filters: {}, groupBy: ["organ"], metric: "accuracy" }).groups.find((g) => g.key.organ === "lung")?.count).toBe(4);
    db.$client.prepare("UPDATE studies SET organ = 'lung' WHERE organ = 'heart'").run();
    expect(summariesCurrent(db.$client)).toBe(false);
    expect(getStats(db, { filters: {}, groupBy: ["organ"], metric: "accuracy" }).groups.find((g) => g.key.organ === "lung")?.count).toBe(10);
    expect(countStudies(db, { organ: "lung" })).toBe(10);
    rebuildSummaries(db.$client);
    expect(summariesCurrent(db.$client)).toBe(true);
    expect(countStudies(db, { organ: "lung" })).toBe(10);
  });
});
