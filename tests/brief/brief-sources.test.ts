import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { columnsFor } from "../../src/columns/registry.js";
import { type Db, openDb } from "../../src/db/client.js";
import { getBrief } from "../../src/queries/brief.js";
import { getStats } from "../../src/queries/stats.js";
import { synthesize } from "../../src/synth/write.js";
import { toYearCounts } from "../../src/web/charts.js";
import { sameMeans } from "../helpers/same-means.js";

/**
 * The brief reads counts without the metric's figures and its reference count from the column
 * store (decision 0009, round 2): the same brief as one composed from getStats and SQL alone.
 * Inside a transaction the store steps aside, so the brief read there is the SQL one.
 */
let dir: string;
let db: Db;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "litreview-brief-sources-"));
  synthesize({ studies: 4_000, out: join(dir, "b.db"), seed: 21 });
  db = openDb(join(dir, "b.db"));
});
afterAll(() => {
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the brief over a synthetic base", () => {
  for (const organ of [undefined, "brain", "kidney"]) {
    it(`${organ ?? "whole base"}: the years chart and strategy counts are getStats', and the whole brief is the SQL one`, () => {
      expect(columnsFor(db)).not.toBeNull();
      const filters = organ ? { organ } : {};
      const brief = getBrief(db, { organ });
      const perYear = toYearCounts(getStats(db, { filters, groupBy: ["year", "strategy"], metric: "accuracy" }).groups, "strategy");
      expect(brief.per_year).toEqual(perYear);
      expect(brief.figures.by_strategy).toEqual(
        getStats(db, { filters, groupBy: ["strategy"], metric: "accuracy" }).groups.map((g) => ({ strategy: g.key_display_name, count: g.count })),
      );
      expect(sameMeans(brief)).toEqual(sameMeans(db.$client.transaction(() => getBrief(db, { organ }))()));
      if (organ !== "kidney") {
        expect(brief.per_year.length).toBeGreaterThan(10);
        expect(brief.reference_count).toBeGreaterThan(100);
      }
    });
  }
});
