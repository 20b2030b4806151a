import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, asc, desc } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, openDb } from "../../src/db/client.js";
import { studies } from "../../src/db/schema.js";
import { accuracy, accuracyJoin, studyConditions, type StudyFilters } from "../../src/queries/filters.js";
import { type Keyset, pageOfStudies, pageWithPlan, SORTS, type Sort } from "../../src/queries/studies.js";
import { type Plan, resolveSearch } from "../../src/queries/study-page-plan.js";
import { rebuildSummaries, summariesCurrent } from "../../src/summary/build.js";
import { synthesize } from "../../src/synth/write.js";

/**
 * Every plan a page can be read with (study-page-plan.ts) must give exactly the pages of the
 * plainest query: the filters, a LEFT JOIN for accuracy, ORDER BY key then id, no index hints.
 * Each walk follows the cursors to the end and compares the whole sequence, and each cursor.
 */
const FILTER_SETS: StudyFilters[] = [
  {},
  { organ: "brain" },
  { strategy: "fine-tuning" },
  { backbone: "VGG-16" },
  { condition: "tumor" },
  { modality: "MRI" },
  { year_from: 2020 },
  { accuracy_min: 95 },
  { accuracy_max: 80 },
  { q: "transfer" },
  { review: "synth-0001" },
  { organ: "brain", year_from: 2015, year_to: 2022 },
  { backbone: "ResNet-50", accuracy_min: 90 },
  { q: "tumor", organ: "breast" },
  { q: "transfer", accuracy_min: 90 },
  { q: "!!!" },
  // Whole-term expansion: mixed case, several words, a short prefix, a prefix of many terms, a
  // word with a diacritic (kept as a prefix query) and a word no term starts with.
  { q: "Transfer LEARN" },
  { q: "tum" },
  { q: "c" },
  { q: "tumör" },
  { q: "zzzzqx" },
  { organ: "nowhere" },
  // Filters that hold no study of some organs (the organ walk seeks over those).
  { condition: "tumor", year_from: 2010 },
  { strategy: "combined", condition: "arrhythmia" },
];

const KEY = { id: studies.id, year: studies.year, organ: studies.organ, accuracy: accuracy.value } as const;

/** The reference: one plain query for the whole ordered set. */
function reference(db: Db, filters: StudyFilters, sort: Sort): Keyset[] {
  const dir = sort.startsWith("-") ? desc : asc;
  const key = KEY[sort.replace("-", "") as keyof typeof KEY];
  return db
    .select({ id: studies.id, key })
    .from(studies)
    .leftJoin(accuracy, accuracyJoin)
    .where(and(...studyConditions(filters)))
    .orderBy(dir(key), dir(studies.id))
    .all();
}

function walk(read: (after: Keyset | undefined) => { results: { id: number }[]; next: Keyset | null }) {
  const ids: number[] = [];
  const cursors: Keyset[] = [];
  let after: Keyset | undefined;
  for (let pages = 0; pages < 10_000; pages++) {
    const page = read(after);
    ids.push(...page.results.map((s) => s.id));
    if (page.next === null) return { ids, cursors };
    cursors.push(page.next);
    after = page.next;
  }
  throw new Error("walk did not end");
}

function check(db: Db, filters: StudyFilters, sort: Sort, plans: (Plan | "chosen")[], limit: number) {
  const expected = reference(db, filters, sort);
  const expectedCursors = expected.filter((_, i) => (i + 1) % limit === 0 && i + 1 < expected.length);
  for (const plan of plans) {
    const input = (after: Keyset | undefined) => ({ filters, sort, limit, after });
    const { ids, cursors } = walk((after) => (plan === "chosen" ? pageOfStudies(db, input(after)) : pageWithPlan(db, input(after), plan)));
    const label = JSON.stringify({ filters, sort, plan, limit });
    expect(ids, label).toEqual(expected.map((r) => r.id));
    expect(cursors, label).toEqual(expectedCursors);
  }
  return expected.length;
}

const plansFor = (filters: StudyFilters, sort: Sort): (Plan | "chosen")[] =>
  filters.q !== undefined && sort === "id" ? ["chosen", "sort", "filter", "search"] : ["chosen", "sort", "filter"];

describe("studies page plans give the plain query's pages", () => {
  let dir: string;
  let db: Db;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "litreview-pages-"));
    synthesize({ studies: 2_500, out: join(dir, "c.db"), seed: 5 });
    db = openDb(join(dir, "c.db"));
    // Missing keys: studies without a year, without an accuracy row, and with an accuracy row
    // whose value is NULL; plus a run of exactly tied accuracies across ids.
    const sqlite = db.$client;
    sqlite.exec(`
      UPDATE studies SET year = NULL WHERE id % 13 = 0;
      DELETE FROM study_results WHERE metric = 'accuracy' AND study_id % 17 = 0;
      UPDATE study_results SET value = NULL WHERE metric = 'accuracy' AND study_id % 19 = 0;
      UPDATE study_results SET value = 95 WHERE metric = 'accuracy' AND study_id % 23 = 0;
    `);
    // Current summaries, so the organ walk skips organs without a match (organsWithMatches).
    rebuildSummaries(sqlite);
  });
  afterAll(() => {
    db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the corpus has NULL keys and ties for every sort", () => {
    const one = (q: string) => db.$client.prepare(q).pluck().get() as number;
    expect(one("SELECT count(*) FROM studies WHERE year IS NULL")).toBeGreaterThan(100);
    expect(one("SELECT count(*) FROM studies s WHERE NOT EXISTS (SELECT 1 FROM study_results r WHERE r.study_id = s.id AND r.metric = 'accuracy' AND r.value IS NOT NULL)")).toBeGreaterThan(200);
    expect(one("SELECT count(*) FROM study_results WHERE metric = 'accuracy' AND value = 95")).toBeGreaterThan(50);
    expect(summariesCurrent(db.$client)).toBe(true);
  });

  it("expands plain words into whole terms and keeps the prefix query otherwise", () => {
    expect(resolveSearch(db, "Transfer LEARN")).toMatchObject({ whole: true, match: expect.stringContaining('"transfer"') });
    expect(resolveSearch(db, "zzzzqx")).toEqual({ match: null, whole: true, matches: 0 });
    expect(resolveSearch(db, "tumör")).toMatchObject({ whole: false, match: '"tumör"*' });
  });

  for (const filters of FILTER_SETS) {
    it(`every sort and plan, pages of 37, for ${JSON.stringify(filters)}`, () => {
      for (const sort of SORTS) check(db, filters, sort, plansFor(filters, sort), 37);
    });
  }

  it("pages of 1 and 2 cross every stretch boundary the same way", () => {
    for (const filters of [{ review: "synth-0001", year_to: 2012 }, { backbone: "VGG-16", year_to: 2010 }, { q: "transfer", organ: "kidney" }]) {
      for (const sort of SORTS) {
        for (const limit of [1, 2]) expect(check(db, filters, sort, plansFor(filters, sort), limit)).toBeGreaterThan(0);
      }
    }
  });

  it("a cursor made before the plans changed, inside a run of tied keys, still continues exactly", () => {
    const all = reference(db, {}, "-accuracy");
    const i = all.findIndex((r, j) => r.key === 95 && all[j + 1]?.key === 95);
    const after = all[i]!;
    for (const plan of ["sort", "filter"] as const) {
      const page = pageWithPlan(db, { filters: {}, sort: "-accuracy", limit: 5, after }, plan);
      expect(page.results.map((s) => s.id)).toEqual(all.slice(i + 1, i + 6).map((r) => r.id));
    }
  });
});
