import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { builtColumns, columnsBuilding, columnsFor, columnsWarmed, warmColumns } from "../../src/columns/registry.js";
import { selectEntries } from "../../src/columns/select.js";
import { type Db, openDb } from "../../src/db/client.js";
import { ftsQuery } from "../../src/queries/filters.js";
import { getStats } from "../../src/queries/stats.js";
import { synthesize } from "../../src/synth/write.js";

/**
 * The full-text terms in the column store (src/columns/text.ts): a `q` selection from their
 * bitsets is exactly the studies FTS5 matches, for common words, prefixes, several words, words
 * the index leaves to FTS5, and after a write that changes the indexed text.
 */
let dir: string;
let db: Db;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "litreview-text-"));
  synthesize({ studies: 8_000, out: join(dir, "t.db"), seed: 11 });
  db = openDb(join(dir, "t.db"));
});
afterAll(() => {
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

// The terms are read in a thread that first starts (about a second under vitest): waits are by time.
const until = async (done: () => boolean) => {
  for (let i = 0; i < 3000 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(done()).toBe(true);
};
const warmed = async () => {
  await columnsWarmed(db);
  const store = builtColumns(db)!;
  expect(store.text).toBeDefined();
  return store;
};
/** The study ids FTS5 itself matches, ascending. */
const ftsIds = (q: string) =>
  db.$client.prepare("SELECT rowid FROM studies_fts WHERE studies_fts MATCH ? ORDER BY rowid").pluck().all(ftsQuery(q)) as number[];
const selectedIds = (q: string) => {
  const store = builtColumns(db)!;
  return [...selectEntries(db, store, { q })].map((e) => store.ids[e]!);
};
const ROWIDS = "SELECT group_concat(rowid) FROM studies_fts WHERE studies_fts MATCH ?";

describe("q from the column store's full-text terms", () => {
  it("keeps a bitset for each plain term an eighth of the studies carry, and no other", async () => {
    const store = await warmed();
    const common = db.$client
      .prepare("SELECT term FROM studies_fts_terms WHERE doc >= ? ORDER BY term")
      .pluck()
      .all(Math.ceil(store.n / 8)) as string[];
    const plain = common.filter((t) => /^[a-z0-9]+$/.test(t));
    expect(plain.length).toBeGreaterThan(5);
    expect(store.text!.bits.size).toBe(plain.length);
    expect(store.text!.at.length - 1).toBe(db.$client.prepare("SELECT count(*) FROM studies_fts_terms").pluck().get());
  });

  it("answers exactly as FTS5 for common words, prefixes, several words and words left to FTS5", async () => {
    await warmed();
    const top = db.$client.prepare("SELECT term FROM studies_fts_terms ORDER BY doc DESC LIMIT 12").pluck().all() as string[];
    const rare = db.$client.prepare("SELECT term FROM studies_fts_terms WHERE doc < 20 AND term GLOB '[a-z]*' LIMIT 3").pluck().all() as string[];
    const queries = [
      ...top,
      ...top.map((t) => t.slice(0, 2)),
      ...top.map((t) => t.toUpperCase()),
      `${top[0]} ${top[1]}`,
      `${top[2]} ${rare[0]}`,
      ...rare,
      "transfer",
      "transfer learning",
      "fine-tuning",
      "t",
      "Tümor",
      "nothingmatchesthis",
      "50",
    ];
    for (const q of queries) expect(selectedIds(q), q).toEqual(ftsIds(q));
    expect(selectedIds("transfer").length).toBeGreaterThan(1000);
  });

  it("answers a common word from the bitsets without asking FTS5", async () => {
    await warmed();
    const spy = vi.spyOn(db.$client, "prepare");
    try {
      const stats = getStats(db, { filters: { q: "transfer" }, groupBy: ["organ"], metric: "accuracy" });
      expect(spy.mock.calls.filter(([sql]) => sql === ROWIDS)).toHaveLength(0);
      expect(stats.count).toBe(ftsIds("transfer").length);
      expect(stats.groups.reduce((n, g) => n + g.count, 0)).toBe(stats.count);
    } finally {
      spy.mockRestore();
    }
  });

  it("follows a change of a cited work's title: the generation moves and the new terms answer", async () => {
    await warmed();
    const before = db.$client.prepare("SELECT generation FROM summary_state").pluck().get() as number;
    const work = db.$client.prepare("SELECT work_id FROM citation_links WHERE work_id IS NOT NULL LIMIT 1").pluck().get() as number;
    db.$client.prepare("UPDATE works SET title = title || ' xylophonic' WHERE id = ?").run(work);
    expect(db.$client.prepare("SELECT generation FROM summary_state").pluck().get()).toBe(before + 1);
    const citing = db.$client.prepare("SELECT study_id FROM citation_links WHERE work_id = ? ORDER BY study_id").pluck().all(work);
    await warmed();
    expect(selectedIds("xylophonic")).toEqual(citing);
    // A link moved to no work takes the title's words away from its study.
    db.$client.prepare("UPDATE citation_links SET work_id = NULL WHERE study_id = ?").run(citing[0]);
    expect(db.$client.prepare("SELECT generation FROM summary_state").pluck().get()).toBe(before + 2);
    await warmed();
    expect(selectedIds("xylophonic")).toEqual(citing.slice(1));
    expect(selectedIds("transfer")).toEqual(ftsIds("transfer"));
  });

  it("adds the terms in the background to a store built on the request path", async () => {
    db.$client.prepare("UPDATE studies SET year = 2002 WHERE id = (SELECT min(id) FROM studies)").run();
    const store = columnsFor(db)!;
    expect(store.text).toBeUndefined(); // the request path leaves them out; FTS5 answers meanwhile
    expect(selectedIds("transfer")).toEqual(ftsIds("transfer"));
    warmColumns(db);
    expect(columnsBuilding(db, "text")).toBe(true);
    await until(() => !columnsBuilding(db, "text"));
    expect(builtColumns(db)).toBe(store);
    expect(store.text!.bits.size).toBeGreaterThan(5);
    expect(selectedIds("transfer")).toEqual(ftsIds("transfer"));
  });
});
