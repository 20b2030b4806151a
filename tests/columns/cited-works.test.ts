import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { distinctWorks } from "../../src/columns/cited-works.js";
import { columnsFor, metricColumn } from "../../src/columns/registry.js";
import { selectEntries } from "../../src/columns/select.js";
import { made, postingsBuilt, YEAR_NONE } from "../../src/columns/store.js";
import { type Db, openDb } from "../../src/db/client.js";
import { getBrief } from "../../src/queries/brief.js";
import type { StudyFilters } from "../../src/queries/filters.js";
import { countStudies } from "../../src/queries/study-count.js";
import { synthesize } from "../../src/synth/write.js";

/**
 * The store's work column (decision 0009, round 2) against SQL's count(DISTINCT work_id), and the
 * narrow code columns and lazily sorted posting lists against the scan. Inside a transaction the
 * store steps aside (registry.ts), so the same question asked there is answered in SQL.
 */
let dir: string;
let db: Db;
const inTransaction = <T>(f: () => T): T => db.$client.transaction(f)();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "litreview-cited-"));
  synthesize({ studies: 3_000, out: join(dir, "c.db"), seed: 11 });
  db = openDb(join(dir, "c.db"));
  // Studies citing nothing (a link without a work) and studies sharing a work, as a real base has.
  db.$client.exec("UPDATE citation_links SET work_id = NULL WHERE study_id % 11 = 0");
  db.$client.exec("UPDATE citation_links SET work_id = (SELECT min(work_id) FROM citation_links) WHERE study_id % 13 = 0");
});
afterAll(() => {
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

/** SQL's answer for the studies a selection holds, asked by id: independent of the store's work column. */
function sqlDistinct(ids: number[]): number {
  return db.$client.prepare("SELECT count(DISTINCT work_id) FROM citation_links WHERE study_id IN (SELECT value FROM json_each(?))").pluck().get(JSON.stringify(ids)) as number;
}

const pick = <T>(xs: readonly T[]) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary: fc.constantFrom(...xs), weight: 1 });
const filtersArb: fc.Arbitrary<StudyFilters> = fc.record({
  organ: pick(["brain", "lung", "breast", "nowhere"]),
  strategy: pick(["fine-tuning", "feature-extraction", "combined"] as const),
  backbone: pick(["VGG-16", "ResNet-50"]),
  modality: pick(["MRI", "CT"]),
  year_from: pick([2005, 2015, 2018]),
  accuracy_min: pick([90, 95.5]),
});

describe("distinct cited works from the column store", () => {
  it("equal SQL's count(DISTINCT work_id) over the same studies, for any selection", () => {
    const store = columnsFor(db)!;
    let nonEmpty = 0;
    fc.assert(
      fc.property(filtersArb, (filters) => {
        const rows = selectEntries(db, store, filters);
        const ids = Array.from(rows, (e) => store.ids[e]!);
        const count = distinctWorks(store, rows);
        expect(count).toBe(sqlDistinct(ids));
        if (count > 0) nonEmpty++;
      }),
      { numRuns: 150 },
    );
    expect(nonEmpty).toBeGreaterThan(50);
  });

  it("give the brief the reference count SQL gives, for the whole base and for an organ", () => {
    columnsFor(db);
    const all = getBrief(db, {}).reference_count;
    const brain = getBrief(db, { organ: "brain" }).reference_count;
    expect(all).toBe(db.$client.prepare("SELECT count(DISTINCT work_id) FROM citation_links").pluck().get());
    expect(brain).toBe(
      db.$client.prepare("SELECT count(DISTINCT c.work_id) FROM studies s JOIN citation_links c ON c.study_id = s.id WHERE s.organ = 'brain'").pluck().get(),
    );
    expect(brain).toBeGreaterThan(0);
    expect(brain).toBeLessThan(all);
    // Inside a transaction the brief asks SQL (the store steps aside): the same counts.
    expect(inTransaction(() => getBrief(db, {}).reference_count)).toBe(all);
    expect(inTransaction(() => getBrief(db, { organ: "brain" }).reference_count)).toBe(brain);
  });

  it("follow a change of a citation link: the store is rebuilt and counts the new work", () => {
    const sqlite = db.$client;
    const before = columnsFor(db)!;
    const brainCount = () => distinctWorks(columnsFor(db)!, selectEntries(db, columnsFor(db)!, { organ: "brain" }));
    const was = brainCount();
    // A brain study that is the only one citing its work now cites a work no brain study cites.
    const [study, oldWork] = sqlite
      .prepare(
        `SELECT c.study_id, c.work_id FROM citation_links c JOIN studies s ON s.id = c.study_id WHERE s.organ = 'brain' AND c.work_id IS NOT NULL
         AND (SELECT count(*) FROM citation_links d JOIN studies t ON t.id = d.study_id WHERE d.work_id = c.work_id AND t.organ = 'brain') = 1 LIMIT 1`,
      )
      .raw()
      .get() as [number, number];
    const other = sqlite
      .prepare(
        "SELECT c.work_id FROM citation_links c JOIN studies s ON s.id = c.study_id WHERE s.organ <> 'brain' AND c.work_id NOT IN (SELECT d.work_id FROM citation_links d JOIN studies t ON t.id = d.study_id WHERE t.organ = 'brain' AND d.work_id IS NOT NULL) LIMIT 1",
      )
      .pluck()
      .get() as number;
    sqlite.prepare("UPDATE citation_links SET work_id = ? WHERE study_id = ?").run(other, study);
    expect(columnsFor(db)).not.toBe(before);
    expect(brainCount()).toBe(was); // one work out, another in
    // The study cites nothing now: one work fewer, in the store and in SQL.
    sqlite.prepare("UPDATE citation_links SET work_id = NULL WHERE study_id = ?").run(study);
    expect(brainCount()).toBe(was - 1);
    expect(getBrief(db, { organ: "brain" }).reference_count).toBe(was - 1);
    expect(inTransaction(() => getBrief(db, { organ: "brain" }).reference_count)).toBe(was - 1);
    sqlite.prepare("UPDATE citation_links SET work_id = ? WHERE study_id = ?").run(oldWork, study);
    expect(brainCount()).toBe(was);
  });
});

describe("the store's layout", () => {
  it("codes each key in the narrowest array its dictionary fits, with the scan's answers", () => {
    const store = columnsFor(db)!;
    expect(store.codes.review).toBeInstanceOf(Uint8Array);
    expect(store.codes.organ).toBeInstanceOf(Uint8Array);
    expect(store.bbCode).toBeInstanceOf(Uint8Array);
    expect(store.ids).toBeInstanceOf(Uint32Array);
    // 300 conditions do not fit a byte: two bytes each, and still the scan's counts.
    db.$client.exec("UPDATE studies SET condition = 'condition ' || (id % 300)");
    const wide = columnsFor(db)!;
    expect(wide.dicts.condition.values).toHaveLength(300);
    expect(wide.codes.condition).toBeInstanceOf(Uint16Array);
    for (const condition of ["condition 7", "condition 299", "condition 1"]) {
      const n = countStudies(db, { condition, organ: "lung" });
      expect(n).toBe(inTransaction(() => countStudies(db, { condition, organ: "lung" })));
      expect(n).toBeGreaterThan(0);
    }
  });

  it("spells out the year and a metric's values on first read, as the rows have them", () => {
    db.$client.exec("UPDATE studies SET year = NULL WHERE id % 17 = 0"); // a new store, with missing years
    const store = columnsFor(db)!;
    expect(made(store, "year")).toBe(false);
    const accuracy = metricColumn(db, store, "accuracy");
    expect(made(accuracy, "value")).toBe(false);
    const rows = db.$client.prepare("SELECT s.id, s.year, r.value FROM studies s LEFT JOIN study_results r ON r.study_id = s.id AND r.metric = 'accuracy' ORDER BY s.id").raw().all() as [number, number | null, number | null][];
    expect(rows).toHaveLength(store.n);
    const years = Array.from(store.year);
    const values = Array.from(accuracy.value);
    expect(years).toEqual(rows.map(([, y]) => y ?? YEAR_NONE));
    expect(values).toEqual(rows.map(([, , v]) => v ?? Number.NaN));
    expect(years.filter((y) => y === YEAR_NONE).length).toBeGreaterThan(100);
    expect(values.filter((v) => Number.isNaN(v)).length).toBeGreaterThan(0);
  });

  it("finds each study's entry whether or not the ids have gaps", () => {
    const gapless = columnsFor(db)!;
    expect(gapless.entryOf(gapless.ids[10]!)).toBe(10);
    expect(gapless.entryOf(gapless.ids[gapless.n - 1]! + 1)).toBe(-1);
    db.$client.exec("DELETE FROM studies WHERE id IN (5, 6, 700)");
    const store = columnsFor(db)!;
    expect(store.n).toBe(gapless.n - 3);
    expect(store.entryOf(5)).toBe(-1);
    expect(store.entryOf(700)).toBe(-1);
    for (const e of [0, 4, 5, 697, 698, store.n - 1]) expect(store.entryOf(store.ids[e]!)).toBe(e);
    expect(countStudies(db, { organ: "lung", year_from: 2015 })).toBe(inTransaction(() => countStudies(db, { organ: "lung", year_from: 2015 })));
  });

  it("sorts a key's posting lists on first use, with the same selection as a scan of its codes", () => {
    db.$client.exec("UPDATE studies SET year = year WHERE id = 1"); // a new data version, a new store
    const store = columnsFor(db)!;
    expect(postingsBuilt(store, "modality")).toBe(false);
    expect(postingsBuilt(store, "backbone")).toBe(true); // read as lists: no sort to save
    const rows = selectEntries(db, store, { modality: "CT" });
    expect(postingsBuilt(store, "modality")).toBe(true);
    const code = store.dicts.modality.codes.get("CT")!;
    const scanned = [...store.codes.modality.keys()].filter((e) => store.codes.modality[e] === code);
    expect([...rows]).toEqual(scanned);
    expect(rows.length).toBe(inTransaction(() => countStudies(db, { modality: "CT" })));
  });
});
