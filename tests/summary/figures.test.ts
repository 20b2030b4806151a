import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_DATA_DIR } from "../../src/config.js";
import { type Db, openDb } from "../../src/db/client.js";
import { loadReview } from "../../src/ingest/load.js";
import { listReviewDirs, readReviewFiles, type ReviewFiles } from "../../src/ingest/review-files.js";
import type { StudyFilters } from "../../src/queries/filters.js";
import { GROUP_KEYS, type GroupKey } from "../../src/queries/group-keys.js";
import { getStats } from "../../src/queries/stats.js";
import { applyReview, rebuildSummaries, summariesCurrent } from "../../src/summary/build.js";
import { figuresKept } from "../../src/summary/figures.js";
import { constraintsOf, summaryGroups } from "../../src/summary/read.js";
import { synthesize } from "../../src/synth/write.js";
import { seededDb } from "../helpers/seeded.js";

/** Every kept figure row, in one order, so two states compare with toEqual. */
const figureRows = (db: Db) =>
  db.$client.prepare("SELECT grouping, metric, k0, k1, k2, n, total, q1, median, q3, min, max FROM summary_figures ORDER BY 1, 2, 3, 4, 5").all();

/** The groups the value histograms hold: one kept figure row each. */
const histogramGroups = (db: Db) => db.$client.prepare("SELECT count(*) FROM (SELECT DISTINCT grouping, metric, k0, k1, k2 FROM summary_bins)").pluck().get();

/** Raw (unrounded) groups of one question, from the kept rows and then walked from the histograms. */
function keptAndWalked(db: Db, filters: StudyFilters, groupBy: GroupKey[], metric = "accuracy") {
  const constraints = constraintsOf(filters)!;
  const ask = () => summaryGroups(db, { groupBy, constraints, metric, withFigures: true });
  expect(figuresKept(db.$client)).toBe(true);
  const kept = ask();
  const state = db.$client.prepare("SELECT figures_generation FROM summary_state").pluck().get();
  db.$client.exec("UPDATE summary_state SET figures_generation = NULL");
  try {
    expect(figuresKept(db.$client)).toBe(false);
    return { kept, walked: ask() };
  } finally {
    db.$client.prepare("UPDATE summary_state SET figures_generation = ?").run(state);
  }
}

const FILTERS: StudyFilters[] = [
  {},
  { organ: "brain" },
  { strategy: "fine-tuning" },
  { backbone: "VGG-16" },
  { year_from: 2018 },
  { organ: "brain", strategy: "fine-tuning" },
  { condition: "tumor" },
];
const GROUPINGS: GroupKey[][] = [[], ...GROUP_KEYS.map((k) => [k]), ["organ", "strategy"], ["strategy", "organ"], ["organ", "backbone"]];

describe("kept figures on a synthetic corpus", () => {
  let dir: string;
  let db: Db;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "litreview-figures-"));
    // Two synthetic reviews (10,000 studies each at most), so one can be taken out.
    synthesize({ studies: 12_000, out: join(dir, "c.db"), seed: 7 });
    db = openDb(join(dir, "c.db"));
  });
  afterAll(() => {
    db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("hold one row per group of every value histogram, built by synth", () => {
    expect(figuresKept(db.$client)).toBe(true);
    const rows = figureRows(db);
    expect(rows.length).toBe(histogramGroups(db));
    // The whole corpus is one group; its count and order statistics straight from the rows.
    const all = db.$client.prepare("SELECT n, total, q1, median, q3, min, max FROM summary_figures WHERE grouping = '' AND metric = 'accuracy'").get() as Record<string, number>;
    const oracle = db.$client
      .prepare(
        `SELECT count(value) AS n, sum(cast(round(value * 1000000) AS INTEGER)) AS total, percentile_cont(value, 0.25) AS q1, median(value) AS median,
           percentile_cont(value, 0.75) AS q3, min(value) AS min, max(value) AS max FROM study_results WHERE metric = 'accuracy' AND value IS NOT NULL`,
      )
      .get() as Record<string, number>;
    expect(all.n).toBe(oracle.n);
    expect(all.total).toBe(oracle.total);
    for (const k of ["q1", "median", "q3", "min", "max"]) expect(all[k], k).toBeCloseTo(oracle[k]!, 9);
  });

  it("answer every grouping and filter exactly as the walk over the histograms does", () => {
    let compared = 0;
    for (const filters of FILTERS) {
      for (const groupBy of GROUPINGS) {
        if (groupBy.includes("backbone") && filters.backbone) continue;
        const { kept, walked } = keptAndWalked(db, filters, groupBy);
        if (kept === null) continue;
        expect(kept, JSON.stringify({ filters, groupBy })).toEqual(walked);
        compared += kept.length;
      }
    }
    expect(compared).toBeGreaterThan(500);
  });

  it("after subtracting a review, equal a rebuild", () => {
    const sqlite = db.$client;
    const before = figureRows(db);
    const reviews = sqlite.prepare("SELECT DISTINCT review_id FROM studies ORDER BY 1").pluck().all() as string[];
    expect(reviews.length).toBe(2);
    const review = reviews[1]!;
    const subtract = sqlite.transaction(() => {
      applyReview(sqlite, review, -1);
      sqlite.prepare("DELETE FROM reviews WHERE id = ?").run(review);
      const incremental = figureRows(db);
      expect(incremental).not.toEqual(before);
      expect(incremental.length).toBe(histogramGroups(db));
      rebuildSummaries(sqlite);
      expect(incremental).toEqual(figureRows(db));
      throw new Error("rollback");
    });
    expect(subtract).toThrow("rollback");
    expect(figureRows(db)).toEqual(before);
  }, 30_000);
});

/** The curated review under another id, its first `moved` studies turned into kidney studies of 2021. */
function secondReview(files: ReviewFiles, moved: number, hash: string): ReviewFiles {
  return {
    ...files,
    hash,
    review: { ...files.review, id: "second-2025" },
    studies: files.studies.map((s, i) => (i < moved ? { ...s, organ: "kidney", year: 2021 } : s)),
  };
}

describe("kept figures kept by the loader", () => {
  const [curated] = listReviewDirs(DEFAULT_DATA_DIR);
  const files = readReviewFiles(curated!);
  const stats = (db: Db, filters: StudyFilters = {}) => getStats(db, { filters, groupBy: ["organ"], metric: "accuracy" });

  it("follow a second review loaded and then replaced, equal to a rebuild each time", () => {
    const db = seededDb();
    expect(figuresKept(db.$client)).toBe(true);
    const brainBefore = stats(db).groups.find((g) => g.key.organ === "brain")!;
    expect(brainBefore.count).toBe(8);

    expect(loadReview(db, secondReview(files, 0, "second-a")).status).toBe("loaded");
    expect(figuresKept(db.$client)).toBe(true);
    const loaded = figureRows(db);
    expect(loaded.length).toBe(histogramGroups(db));
    // The same review twice: every group holds each value twice, so the quartiles stay and n doubles.
    const brain = stats(db).groups.find((g) => g.key.organ === "brain")!;
    expect(brain.count).toBe(16);
    expect(brain.summary).toEqual({ ...brainBefore.summary, n: brainBefore.summary.n * 2, n_missing: brainBefore.summary.n_missing * 2 });
    rebuildSummaries(db.$client);
    expect(figureRows(db)).toEqual(loaded);

    expect(loadReview(db, secondReview(files, 5, "second-b")).status).toBe("loaded");
    expect(figuresKept(db.$client)).toBe(true);
    const replaced = figureRows(db);
    const kidney = stats(db, { review: "second-2025" }).groups.find((g) => g.key.organ === "kidney")!;
    expect(kidney.count).toBe(5);
    rebuildSummaries(db.$client);
    expect(figureRows(db)).toEqual(replaced);
    const kidneyRows = db.$client.prepare("SELECT count(*) FROM summary_figures WHERE grouping = 'organ' AND k0 = 'kidney'").pluck();
    expect(kidneyRows.get()).toBe(1);
    // Replaced again without kidney studies: the group has no value left, so its row goes.
    expect(loadReview(db, secondReview(files, 0, "second-c")).status).toBe("loaded");
    expect(kidneyRows.get()).toBe(0);
    expect(stats(db).groups.some((g) => g.key.organ === "kidney")).toBe(false);
    expect(figureRows(db)).toEqual(loaded);
    // And the answer is the scan's (summaries marked stale).
    const fromFigures = stats(db);
    db.$client.exec("UPDATE summary_state SET built_generation = NULL");
    expect(summariesCurrent(db.$client)).toBe(false);
    expect(stats(db)).toEqual(fromFigures);
  });

  it("left from before migration 0008: walked until a rebuild, never half kept", () => {
    const db = seededDb();
    const expected = stats(db);
    // What the migration leaves in a database that already had histograms.
    db.$client.exec("DELETE FROM summary_figures; UPDATE summary_state SET figures_generation = NULL");
    expect(figuresKept(db.$client)).toBe(false);
    expect(stats(db)).toEqual(expected);
    // A load keeps the histograms current but cannot complete the figures of groups it does not touch.
    expect(loadReview(db, secondReview(files, 3, "second-d")).status).toBe("loaded");
    expect(summariesCurrent(db.$client)).toBe(true);
    expect(figuresKept(db.$client)).toBe(false);
    expect(db.$client.prepare("SELECT count(*) FROM summary_figures").pluck().get()).toBe(0);
    const afterLoad = stats(db);
    rebuildSummaries(db.$client);
    expect(figuresKept(db.$client)).toBe(true);
    expect(figureRows(db).length).toBe(histogramGroups(db));
    expect(stats(db)).toEqual(afterLoad);
  });
});
