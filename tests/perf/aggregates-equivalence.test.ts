import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, openDb } from "../../src/db/client.js";
import type { StudyFilters } from "../../src/queries/filters.js";
import { GROUP_KEYS, type GroupKey } from "../../src/queries/group-keys.js";
import { recommend } from "../../src/queries/recommendations.js";
import { getStats } from "../../src/queries/stats.js";
import { getTrends, SERIES } from "../../src/queries/trends.js";
import { synthesize } from "../../src/synth/write.js";
import { sameMeans } from "../helpers/same-means.js";
import { seededDb } from "../helpers/seeded.js";
import { recommend as recommendInJs } from "./reference/recommendations.js";
import { getStats as getStatsInJs } from "./reference/stats.js";
import { getTrends as getTrendsInJs } from "./reference/trends.js";

/**
 * The aggregates moved from JavaScript (every row fetched, then grouped) into SQL. The JS versions,
 * kept under tests/perf/reference, are the specification: both must give the same answers.
 */
const FILTER_SETS: StudyFilters[] = [
  {},
  { organ: "brain" },
  { strategy: "fine-tuning" },
  { backbone: "VGG-16" },
  { year_from: 2018, year_to: 2020 },
  { accuracy_min: 90 },
  { condition: "tumor" },
  { modality: "MRI" },
  { q: "transfer" },
  { organ: "nowhere" },
];
const GROUPINGS: GroupKey[][] = [...GROUP_KEYS.map((k) => [k]), ["organ", "strategy"], ["backbone", "year"]];

const same = <T>(actual: T, expected: T, label: unknown) => expect(sameMeans(actual), JSON.stringify(label)).toEqual(sameMeans(expected));

function checkAll(db: Db) {
  for (const filters of FILTER_SETS) {
    for (const groupBy of GROUPINGS) {
      same(getStats(db, { filters, groupBy, metric: "accuracy" }), getStatsInJs(db, { filters, groupBy, metric: "accuracy" }), { filters, groupBy });
    }
    for (const series of SERIES) {
      same(getTrends(db, { filters, series }), getTrendsInJs(db, { filters, series }), { filters, series });
    }
  }
  for (const domain of [{ organ: "brain" }, { organ: "lung" }, { condition: "tumor" }, { organ: "kidney" }, { organ: "heart", condition: "arrhythmia" }]) {
    same(recommend(db, domain), recommendInJs(db, domain), domain);
  }
}

describe("SQL aggregates equal the JavaScript reference", () => {
  it("on the seeded review", () => {
    checkAll(seededDb());
  });

  describe("on a synthetic corpus", () => {
    let dir: string;
    let db: Db;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), "litreview-agg-"));
      synthesize({ studies: 3_000, out: join(dir, "c.db"), seed: 11 });
      db = openDb(join(dir, "c.db"));
    });
    afterAll(() => {
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    });
    it("for every filter, grouping, series and domain", () => {
      checkAll(db);
    });
  });
});
