import { mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtColumns, columnsBuilding, columnsFor, warmColumns } from "../../src/columns/registry.js";
import { reviewTallies } from "../../src/columns/review-tallies.js";
import { CODED, loadColumns, loadMetric } from "../../src/columns/store.js";
import { type Db, openDb } from "../../src/db/client.js";
import { rememberFile } from "../../src/db/file-identity.js";
import { scanGroupFigures } from "../../src/queries/group-stats.js";
import { contributingReviewIds, listReviews } from "../../src/queries/reviews.js";
import { getStats } from "../../src/queries/stats.js";
import { synthesize } from "../../src/synth/write.js";
import { createApp } from "../../src/app.js";
import { beginSnapshot, endSnapshot } from "../../src/db/snapshot.js";

/**
 * The column store built off the request path (registry.warmColumns): in a thread of its own on a
 * read-only connection, the same store as a build on the request path; a request during the build
 * waits for it, a write during it makes it start over; and /v1/reviews' counts taken from the
 * built store.
 */
let dir: string;
let db: Db;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "litreview-warm-"));
  synthesize({ studies: 12_000, out: join(dir, "w.db"), seed: 5 }); // two reviews: 10,000 and 2,000 studies
  db = openDb(join(dir, "w.db"));
});
afterAll(() => {
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

const turns = async (k: number) => {
  for (let i = 0; i < k; i++) await new Promise((r) => setImmediate(r));
};
// The build thread first starts (loading tsx's loader under vitest: about a second), so waits are by time.
const until = async (done: () => boolean) => {
  for (let i = 0; i < 3000 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(done()).toBe(true);
};
const brainByYear = { filters: { organ: "brain" }, groupBy: ["year"] as const, metric: "accuracy" };

describe("the column store's background build", () => {
  it("builds in a thread while the event loop turns, the same store as the request path, then serves without building again", async () => {
    warmColumns(db);
    expect(columnsBuilding(db)).toBe(true);
    expect(builtColumns(db)).toBeNull();
    let turned = 0;
    while (columnsBuilding(db) && turned < 100_000) {
      await turns(1);
      turned++;
    }
    expect(turned).toBeGreaterThan(50); // the loop was never held for the build
    await until(() => !columnsBuilding(db));
    const store = builtColumns(db)!;
    expect(store.n).toBe(12_000);
    expect(store.metrics.has("accuracy")).toBe(true); // the default metric comes with it
    expect(columnsFor(db)).toBe(store);
    warmColumns(db); // current: nothing to do
    expect(columnsBuilding(db)).toBe(false);
    // Every column as a build on this thread reads it: the typed arrays crossed whole.
    const here = db.$client.transaction(() => loadColumns(db.$client))();
    const accuracy = loadMetric(db.$client, here, "accuracy");
    for (const k of CODED) {
      expect([...store.codes[k]], k).toEqual([...here.codes[k]]);
      expect(store.dicts[k].values, k).toEqual(here.dicts[k].values);
      expect([...store.postings[k].entries], k).toEqual([...here.postings[k].entries]);
    }
    for (const k of ["ids", "bbStart", "bbCode", "work", "year"] as const) expect([...store[k]], k).toEqual([...here[k]]);
    expect(store.dicts.backbone.values).toEqual(here.dicts.backbone.values);
    expect([...store.postings.backbone.entries]).toEqual([...here.postings.backbone.entries]);
    const fromThread = store.metrics.get("accuracy")!;
    expect([...fromThread.value]).toEqual([...accuracy.value]);
    expect([...fromThread.byRank.entries]).toEqual([...accuracy.byRank.entries]);
    expect(store.entryOf(here.ids[7]!)).toBe(7);
  });

  it("is waited for by a request that needs it mid-way, with the scan's answer", async () => {
    db.$client.prepare("UPDATE studies SET year = 2001 WHERE id = (SELECT min(id) FROM studies)").run();
    warmColumns(db);
    await turns(3);
    expect(columnsBuilding(db)).toBe(true);
    const stats = getStats(db, brainByYear);
    expect(columnsBuilding(db)).toBe(false);
    expect(builtColumns(db)).not.toBeNull();
    const scan = scanGroupFigures(db, brainByYear);
    expect(stats.groups.map((g) => [g.key.year, g.count, g.summary.median])).toEqual(scan.map((g) => [g.keys[0], g.count, g.summary.median]));
    expect(stats.groups.find((g) => g.key.year === 2001)?.count ?? 0).toBe(scan.find((g) => g.keys[0] === 2001)?.count ?? 0);
  });

  it("starts over when the data changes during the build, and never serves the older snapshot", async () => {
    db.$client.prepare("UPDATE studies SET organ = 'brain' WHERE id = (SELECT min(id) FROM studies)").run();
    warmColumns(db);
    await turns(2);
    const before = columnsBuilding(db);
    db.$client.prepare("UPDATE studies SET organ = 'lung', year = 1999 WHERE id = (SELECT min(id) FROM studies)").run();
    const stats = getStats(db, brainByYear);
    expect(before).toBe(true);
    expect(stats.groups.map((g) => [g.key.year, g.count])).toEqual(scanGroupFigures(db, brainByYear).map((g) => [g.keys[0], g.count]));
    expect(stats.groups.some((g) => g.key.year === 1999)).toBe(false);
    const lung = getStats(db, { ...brainByYear, filters: { organ: "lung" } });
    expect(lung.groups.find((g) => g.key.year === 1999)?.count).toBe(1);
  });

  it("starts no thread for a file that is gone (deleted under the server); the request path still builds", () => {
    const gone = join(dir, "gone.db");
    synthesize({ studies: 1_000, out: gone, seed: 6 });
    const g = openDb(gone);
    try {
      rmSync(gone);
      warmColumns(g);
      expect(columnsBuilding(g)).toBe(false);
      expect(columnsFor(g)?.n).toBe(1_000); // from this connection, which still reads the unlinked file
    } finally {
      g.$client.close();
    }
  });

  it("never holds a store read from another file put at the path (replaced under the server)", async () => {
    const path = join(dir, "replaced.db");
    synthesize({ studies: 1_000, out: path, seed: 6 });
    synthesize({ studies: 1_500, out: join(dir, "other.db"), seed: 7 });
    const served = openDb(path);
    rememberFile(served, path);
    try {
      warmColumns(served);
      expect(columnsBuilding(served)).toBe(true);
      // In place before the thread opens the path (it first starts: about a second under vitest).
      renameSync(join(dir, "other.db"), path);
      await until(() => !columnsBuilding(served));
      expect(builtColumns(served)).toBeNull(); // the thread saw another file and stopped
      warmColumns(served); // and now none is started
      expect(columnsBuilding(served)).toBe(false);
      expect(columnsFor(served)?.n).toBe(1_000); // the request path builds from this connection's own file
    } finally {
      served.$client.close();
    }
  });

  it("does nothing for an in-memory database (no second connection can see it)", () => {
    const mem = openDb(":memory:");
    warmColumns(mem);
    expect(columnsBuilding(mem)).toBe(false);
    mem.$client.close();
  });
});

describe("/v1/reviews' counts from the built store", () => {
  it("equal the per-review SQL counts, field by field", () => {
    db.$client.prepare("INSERT INTO study_results (study_id, metric, value, text, scale) SELECT id, 'auc', NULL, 'x', 'fraction' FROM studies WHERE id % 5 = 0").run();
    columnsFor(db);
    const fast = listReviews(db);
    expect(reviewTallies(db)).not.toBeNull();
    // One review at a time always takes the SQL path.
    const slow = fast.map((r) => listReviews(db, r.id)[0]);
    expect(fast.length).toBeGreaterThan(1);
    expect(fast).toEqual(slow);
    expect(fast.reduce((n, r) => n + r.studies, 0)).toBe(12_000);
    expect(fast.reduce((n, r) => n + (r.metrics.auc ?? 0), 0)).toBe(2_400);
  });
});

describe("provenance from the built store", () => {
  it("names the same reviews as the SQL pass, for filters matching both reviews, one, or none", () => {
    columnsFor(db);
    const cases = [{}, { organ: "brain" }, { accuracy_min: 99 }, { accuracy_max: 60, organ: "lung" }, { review: "synth-0001" }, { organ: "nowhere" }, { q: "transfer", year_from: 2020 }];
    const answers = cases.map((filters) => {
      const fromStore = contributingReviewIds(db, filters);
      expect(fromStore, JSON.stringify(filters)).toEqual(db.$client.transaction(() => contributingReviewIds(db, filters))());
      return fromStore.length;
    });
    expect(new Set(answers)).toEqual(new Set([0, 1, 2]));
  });
});

describe("the store inside a request's read snapshot", () => {
  it("serves a filtered aggregate over HTTP (every request reads in a snapshot) instead of scanning", async () => {
    db.$client.prepare("UPDATE studies SET year = 2002 WHERE id = (SELECT min(id) FROM studies)").run();
    expect(builtColumns(db)).toBeNull();
    const app = createApp({ db, cache: false });
    const res = await app.request("/v1/stats?group_by=year&organ=brain");
    expect(res.status).toBe(200);
    // The request built the store: before, a snapshot counted as a transaction and every filtered
    // question over HTTP fell back to the scan (13 s at 1M).
    expect(builtColumns(db)).not.toBeNull();
    const body = (await res.json()) as { groups: { key: { year: number }; count: number }[] };
    expect(body.groups.map((g) => [g.key.year, g.count])).toEqual(scanGroupFigures(db, brainByYear).map((g) => [g.keys[0], g.count]));
  });

  it("answers from the snapshot's data when another connection commits during the request", () => {
    const store = columnsFor(db);
    const other = new Database(db.$client.name);
    const first = db.$client.prepare("SELECT min(id) FROM studies").pluck().get() as number;
    other.prepare("UPDATE studies SET organ = 'brain', year = 1990 WHERE id = ?").run(first);
    expect(builtColumns(db)).toBeNull(); // stale after the other connection's write
    beginSnapshot(db.$client);
    try {
      const before = getStats(db, brainByYear);
      other.prepare("UPDATE studies SET year = 1991 WHERE id = ?").run(first);
      const during = getStats(db, brainByYear);
      expect(builtColumns(db)).not.toBe(store); // rebuilt once, for the snapshot's data
      expect(during).toEqual(before);
      expect(during.groups.find((g) => g.key.year === 1990)?.count).toBe(1);
      expect(during.groups.some((g) => g.key.year === 1991)).toBe(false);
    } finally {
      endSnapshot(db.$client);
      other.close();
    }
    const after = getStats(db, brainByYear);
    expect(after.groups.find((g) => g.key.year === 1991)?.count).toBe(1);
    expect(after.groups.some((g) => g.key.year === 1990)).toBe(false);
  });

  it("lends its store to another connection of the same file at the same generation, never across a write", () => {
    const store = columnsFor(db)!;
    const second = openDb(db.$client.name, { readOnly: true });
    try {
      expect(columnsFor(second)).toBe(store); // a download's own snapshot builds nothing
      db.$client.prepare("UPDATE studies SET year = 1992 WHERE id = (SELECT min(id) FROM studies)").run();
      const fresh = columnsFor(second)!;
      expect(fresh).not.toBe(store);
      expect(getStats(second, brainByYear)).toEqual(getStats(db, brainByYear));
      expect(getStats(second, brainByYear).groups.find((g) => g.key.year === 1992)?.count).toBe(1);
    } finally {
      second.$client.close();
    }
  });
});
