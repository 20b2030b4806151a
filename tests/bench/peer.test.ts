import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { flatCopy } from "../../src/bench/peer.js";
import { openDb } from "../../src/db/client.js";
import { synthesize } from "../../src/synth/write.js";

const dir = mkdtempSync(join(tmpdir(), "peer-"));
const corpus = join(dir, "c.db");
let flat: Database.Database;

beforeAll(() => {
  synthesize({ studies: 3_000, out: corpus, seed: 4 });
  flat = new Database(flatCopy(corpus, join(dir, "flat.db")), { readonly: true });
}, 60_000);
afterAll(() => {
  flat.close();
  rmSync(dir, { recursive: true, force: true });
});

// Datasette 0.65's own test of whether a table has a full-text index (datasette/utils detect_fts_sql):
// without a match it ignores _search and answers with the whole table. (tbl_name is compared to a
// single-quoted string here: this SQLite build refuses double-quoted ones.)
const detectFts = (table: string) => `
  select name from sqlite_master where rootpage = 0 and (
    sql like '%VIRTUAL TABLE%USING FTS%content="${table}"%'
    or sql like '%VIRTUAL TABLE%USING FTS%content=[${table}]%'
    or (tbl_name = '${table}' and sql like '%VIRTUAL TABLE%USING FTS%'))`;

describe("the flat copy Datasette serves in bench:peer", () => {
  it("holds every study, with a full-text index Datasette finds", () => {
    expect(flat.prepare("select count(*) from studies").pluck().get()).toBe(3_000);
    expect(flat.prepare(detectFts("studies")).pluck().all()).toEqual(["studies_fts"]);
  });

  it("finds by full text the studies our q finds, in the same order", async () => {
    // What bench:peer asks Datasette (_searchmode=raw, _sort=id) against our /v1/studies?q=.
    const theirs = flat
      .prepare(`select id from studies where rowid in (select rowid from studies_fts where studies_fts match '"transfer"*') order by id`)
      .pluck()
      .all() as number[];
    const db = openDb(corpus, { readOnly: true });
    try {
      const res = await createApp({ db }).request("/v1/studies?q=transfer&limit=500");
      expect(res.status).toBe(200);
      const page = (await res.json()) as { results: { id: number }[] };
      expect(theirs.length).toBeGreaterThan(500);
      expect(page.results.map((s) => s.id)).toEqual(theirs.slice(0, 500));
    } finally {
      db.$client.close();
    }
  });
});
