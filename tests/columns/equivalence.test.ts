import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, openDb } from "../../src/db/client.js";
import type { StudyFilters } from "../../src/queries/filters.js";
import { GROUP_KEYS, type GroupKey } from "../../src/queries/group-keys.js";
import { columnFigures, countConditions, medianBetweenYears, scanGroupFigures } from "../../src/queries/group-stats.js";
import { recommend } from "../../src/queries/recommendations.js";
import { contributingReviewIds } from "../../src/queries/reviews.js";
import { columnsFor } from "../../src/columns/registry.js";
import { getStats } from "../../src/queries/stats.js";
import { countStudies } from "../../src/queries/study-count.js";
import { getTrends, SERIES } from "../../src/queries/trends.js";
import { synthesize } from "../../src/synth/write.js";
import { sameMeans } from "../helpers/same-means.js";

/**
 * The column store (docs/decisions/0006) against the plain SQL scan, over random combinations of
 * every filter, grouping and metric on a synthetic corpus. Inside a transaction the store steps
 * aside (registry.ts), so the same query run there is answered by the summaries or the scan.
 */
let dir: string;
let db: Db;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "litreview-columns-"));
  synthesize({ studies: 2_500, out: join(dir, "c.db"), seed: 3 });
  db = openDb(join(dir, "c.db"));
  // A second metric on a 0-1 scale for two studies in three, some reported without a number.
  db.$client.exec(`INSERT INTO study_results (study_id, metric, value, text, scale)
    SELECT id, 'auc', CASE WHEN id % 7 = 0 THEN NULL ELSE round(0.5 + (id * 37 % 500) / 1000.0, 3) END, 'x', 'fraction'
    FROM studies WHERE id % 3 <> 0`);
});
afterAll(() => {
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

// Each filter absent three times in four, so most combinations still match some studies.
const pick = <T>(xs: readonly T[]) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: fc.constantFrom(...xs), weight: 1 });
const filtersArb: fc.Arbitrary<StudyFilters> = fc.record({
  review: pick(["synth-0000", "synth-0001", "nowhere"]),
  organ: pick(["brain", "lung", "breast", "skin", "nowhere"]),
  strategy: pick(["fine-tuning", "feature-extraction", "combined"] as const),
  backbone: pick(["VGG-16", "ResNet-50", "AlexNet", "nothing"]),
  modality: pick(["MRI", "CT", "X-ray", "nowhere"]),
  condition: pick(["tumor", "TUMOR", "cancer", "lung", "%", "_", "e"]),
  year_from: pick([2005, 2015, 2018, 2030]),
  year_to: pick([2010, 2019, 2025]),
  accuracy_min: pick([50, 90, 95.5]),
  accuracy_max: pick([80, 97, 100]),
  q: pick(["transfer", "learning network", "!!!", "brain"]),
});
const groupByArb = fc.uniqueArray(fc.constantFrom(...GROUP_KEYS), { minLength: 0, maxLength: 3 }) as fc.Arbitrary<GroupKey[]>;
const metricArb = fc.constantFrom("accuracy", "auc", "absent");
const inTransaction = <T>(f: () => T): T => db.$client.transaction(f)();

describe("the column store answers as the SQL scan", () => {
  it("per group: count, n, mean, quartiles, min, max and latest year, for any filters, grouping and metric", () => {
    let nonEmpty = 0;
    fc.assert(
      fc.property(filtersArb, groupByArb, metricArb, fc.boolean(), (filters, groupBy, metric, withFigures) => {
        const input = { filters, groupBy, metric, withFigures, withLatestYear: true };
        const columns = columnFigures(db, input)!.map(({ firstIds: _, ...g }) => g);
        expect(sameMeans(columns)).toEqual(sameMeans(scanGroupFigures(db, input)));
        if (columns.length > 0) nonEmpty++;
      }),
      { numRuns: 300 },
    );
    // The sweep is worth something only if many questions match some studies: about half do
    // (138 and ~160 of 300 seen); 90 is over five standard deviations below that for any seed.
    expect(nonEmpty).toBeGreaterThan(90);
  });

  it("counts studies and distinct conditions, and the median between two years", () => {
    fc.assert(
      fc.property(filtersArb, metricArb, fc.integer({ min: 2000, max: 2026 }), fc.integer({ min: 0, max: 10 }), (filters, metric, from, span) => {
        expect(countStudies(db, filters)).toBe(inTransaction(() => countStudies(db, filters)));
        expect(countConditions(db, filters)).toBe(inTransaction(() => countConditions(db, filters)));
        expect(medianBetweenYears(db, filters, metric, from, from + span)).toBe(inTransaction(() => medianBetweenYears(db, filters, metric, from, from + span)));
      }),
      { numRuns: 200 },
    );
  });

  it("names the reviews with a matching study (an answer's provenance) as the SQL pass does", () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(filtersArb, (filters) => {
        expect(columnsFor(db)).not.toBeNull(); // provenance reads the store only once built
        const fromStore = contributingReviewIds(db, filters);
        expect(fromStore).toEqual(inTransaction(() => contributingReviewIds(db, filters)));
        seen.add(fromStore.join(","));
      }),
      { numRuns: 200 },
    );
    expect(seen.size).toBe(2); // this corpus is one review: none and that one (two reviews: background.test.ts)
  });

  it("stats, trends and recommendations, as the routes call them", () => {
    fc.assert(
      fc.property(filtersArb, groupByArb, fc.constantFrom(...SERIES), metricArb, (filters, groupBy, series, metric) => {
        const stats = { filters, groupBy, metric };
        expect(sameMeans(getStats(db, stats))).toEqual(sameMeans(inTransaction(() => getStats(db, stats))));
        const trends = { filters, series, metric };
        expect(sameMeans(getTrends(db, trends))).toEqual(sameMeans(inTransaction(() => getTrends(db, trends))));
        const domain = { organ: filters.organ, condition: filters.condition, review: filters.review, metric };
        expect(sameMeans(recommend(db, domain))).toEqual(sameMeans(inTransaction(() => recommend(db, domain))));
      }),
      { numRuns: 50 },
    );
  });

  it("follows a write at once, and steps aside inside a transaction", () => {
    const filters = { organ: "brain", year_from: 2015 };
    const before = countStudies(db, filters);
    const sqlite = db.$client;
    const id = sqlite.prepare("SELECT id FROM studies WHERE organ = 'brain' AND year >= 2015 LIMIT 1").pluck().get() as number;
    sqlite.prepare("UPDATE studies SET year = 2000 WHERE id = ?").run(id);
    expect(countStudies(db, filters)).toBe(before - 1);
    sqlite.prepare("UPDATE studies SET year = 2016 WHERE id = ?").run(id);
    expect(countStudies(db, filters)).toBe(before);
    const rolledBack = sqlite.transaction(() => {
      sqlite.prepare("UPDATE studies SET year = 2000 WHERE id = ?").run(id);
      expect(countStudies(db, filters)).toBe(before - 1);
      throw new Error("rollback");
    });
    expect(rolledBack).toThrow("rollback");
    expect(countStudies(db, filters)).toBe(before);
  });
});
