import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { type Db, migrateDb, openDb } from "../../src/db/client.js";
import { studies } from "../../src/db/schema.js";
import { cachedQuery, stableKey } from "../../src/cache/query-cache.js";
import { synthesize } from "../../src/synth/write.js";
import { seededDb } from "../helpers/seeded.js";

/** A stand-in aggregate: studies per organ, counting how often it really ran. */
function countingQuery() {
  let runs = 0;
  const query = cachedQuery((db: Db, input: { organ?: string }) => {
    runs++;
    const where = input.organ ? sql`WHERE organ = ${input.organ}` : sql``;
    return db.all<{ organ: string; n: number }>(sql`SELECT organ, count(*) AS n FROM studies ${where} GROUP BY organ ORDER BY organ`);
  });
  return { query, runs: () => runs };
}

const addStudy = (db: Db, organ: string) =>
  db.$client
    .prepare(
      `INSERT INTO studies (review_id, organ, condition_printed, condition, method_text, authors_printed, source_table, source_row)
       SELECT review_id, ?, 'x', 'x', 'x', 'x', 'test', (SELECT count(*) FROM studies) + 1000 FROM studies LIMIT 1`,
    )
    .run(organ);

describe("cachedQuery on one connection", () => {
  it("answers a repeated identical query from memory", () => {
    const db = seededDb();
    const { query, runs } = countingQuery();
    const first = query(db, {});
    expect(query(db, {})).toBe(first);
    expect(runs()).toBe(1);
    expect(query.stats(db)).toEqual({ hits: 1, misses: 1, size: 1 });
  });

  it("keys on the input, whatever the order of its keys", () => {
    expect(stableKey({ a: 1, b: [2, { d: 1, c: 2 }] })).toBe(stableKey({ b: [2, { c: 2, d: 1 }], a: 1 }));
    const db = seededDb();
    const { query, runs } = countingQuery();
    expect(query(db, { organ: "lung" })).toEqual([{ organ: "lung", n: 4 }]);
    expect(query(db, { organ: "heart" })).toEqual([{ organ: "heart", n: 6 }]);
    expect(runs()).toBe(2);
  });

  it("recomputes after an insert, an update and a delete on the same connection", () => {
    const db = seededDb();
    const { query } = countingQuery();
    expect(query(db, { organ: "lung" })).toEqual([{ organ: "lung", n: 4 }]);

    addStudy(db, "lung");
    expect(query(db, { organ: "lung" })).toEqual([{ organ: "lung", n: 5 }]);

    // Same row count, different content: a count-based version would miss this.
    db.update(studies).set({ organ: "heart" }).where(eq(studies.organ, "lung")).run();
    expect(query(db, { organ: "lung" })).toEqual([]);
    expect(query(db, { organ: "heart" })).toEqual([{ organ: "heart", n: 11 }]);

    db.delete(studies).where(eq(studies.organ, "heart")).run();
    expect(query(db, { organ: "heart" })).toEqual([]);
  });

  it("sees writes made inside a transaction that is still open", () => {
    const db = seededDb();
    const { query } = countingQuery();
    query(db, { organ: "lung" });
    db.transaction(() => {
      addStudy(db, "lung");
      expect(query(db, { organ: "lung" })).toEqual([{ organ: "lung", n: 5 }]);
    });
  });

  it("does not keep a result read inside a transaction that is then rolled back", () => {
    const db = seededDb();
    const { query } = countingQuery();
    expect(() =>
      db.transaction(() => {
        addStudy(db, "lung");
        expect(query(db, { organ: "lung" })).toEqual([{ organ: "lung", n: 5 }]);
        throw new Error("roll back");
      }),
    ).toThrow("roll back");
    expect(query(db, { organ: "lung" })).toEqual([{ organ: "lung", n: 4 }]);
  });

  it("holds at most maxEntries inputs", () => {
    const db = seededDb();
    const query = cachedQuery((_db: Db, n: number) => n * 2, { maxEntries: 3 });
    for (let i = 0; i < 10; i++) query(db, i);
    expect(query.stats(db).size).toBe(3);
  });

  it("agrees with the uncached query after any sequence of writes and reads", () => {
    const db = seededDb();
    const { query } = countingQuery();
    const organs = ["brain", "heart", "breast", "lung", "skin"];
    const op = fc.oneof(
      fc.record({ kind: fc.constant("read" as const), organ: fc.option(fc.constantFrom(...organs), { nil: undefined }) }),
      fc.record({ kind: fc.constant("insert" as const), organ: fc.constantFrom(...organs) }),
      fc.record({ kind: fc.constant("move" as const), from: fc.constantFrom(...organs), to: fc.constantFrom(...organs) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        for (const o of ops) {
          if (o.kind === "insert") addStudy(db, o.organ);
          else if (o.kind === "move") db.update(studies).set({ organ: o.to }).where(eq(studies.organ, o.from)).run();
          else {
            const where = o.organ ? sql`WHERE organ = ${o.organ}` : sql``;
            const fresh = db.all(sql`SELECT organ, count(*) AS n FROM studies ${where} GROUP BY organ ORDER BY organ`);
            expect(query(db, { organ: o.organ })).toEqual(fresh);
          }
        }
      }),
      { numRuns: 50 },
    );
  });
});

describe("cachedQuery across connections", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("recomputes after another connection commits to the same file", () => {
    dir = mkdtempSync(join(tmpdir(), "litreview-cache-"));
    const path = join(dir, "corpus.db");
    synthesize({ studies: 500, out: path, seed: 3 });
    const server = openDb(path);
    const writer = openDb(path);
    migrateDb(server);
    const { query, runs } = countingQuery();
    const before = query(server, { organ: "skin" })[0]?.n ?? 0;
    expect(query(server, { organ: "skin" })[0]?.n ?? 0).toBe(before);
    expect(runs()).toBe(1);

    addStudy(writer, "skin");
    expect(query(server, { organ: "skin" })).toEqual([{ organ: "skin", n: before + 1 }]);
    expect(runs()).toBe(2);
    server.$client.close();
    writer.$client.close();
  });
});
