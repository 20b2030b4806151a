import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { cacheStatements } from "../../src/db/statement-cache.js";
import { seededDb } from "../helpers/seeded.js";

function fresh(maxEntries?: number) {
  const sqlite = cacheStatements(new Database(":memory:"), maxEntries);
  sqlite.exec("create table t (id integer primary key, name text); insert into t (name) values ('a'), ('b'), ('c')");
  return sqlite;
}

describe("statement cache", () => {
  it("compiles each SQL text once and reuses the statement", () => {
    const sqlite = fresh();
    const a = sqlite.prepare("select name from t where id = ?");
    const b = sqlite.prepare("select name from t where id = ?");
    expect(b).toBe(a);
    expect(b.get(2)).toEqual({ name: "b" });
    expect(sqlite.prepare("select name from t where id > ?")).not.toBe(a);
  });

  it("switches raw, pluck and expand off again on reuse", () => {
    const sqlite = fresh();
    const text = "select id, name from t order by id limit 1";
    expect(sqlite.prepare(text).pluck().get()).toBe(1);
    expect(sqlite.prepare(text).get()).toEqual({ id: 1, name: "a" });
    expect(sqlite.prepare(text).raw().get()).toEqual([1, "a"]);
    expect(sqlite.prepare(text).get()).toEqual({ id: 1, name: "a" });
    expect(sqlite.prepare(text).expand().get()).toEqual({ t: { id: 1, name: "a" } });
    expect(sqlite.prepare(text).all()).toEqual([{ id: 1, name: "a" }]);
  });

  it("gives a fresh statement while the cached one is still being iterated", () => {
    const sqlite = fresh();
    const text = "select id from t order by id";
    const outer: number[] = [];
    const inner: number[][] = [];
    for (const row of sqlite.prepare(text).pluck().iterate() as IterableIterator<number>) {
      outer.push(row);
      inner.push(sqlite.prepare(text).pluck().all() as number[]);
    }
    expect(outer).toEqual([1, 2, 3]);
    expect(inner).toEqual([[1, 2, 3], [1, 2, 3], [1, 2, 3]]);
  });

  it("keeps at most maxEntries statements, dropping the least recently used", () => {
    const sqlite = fresh(2);
    const one = sqlite.prepare("select 1");
    sqlite.prepare("select 2");
    expect(sqlite.prepare("select 1")).toBe(one); // used again: now the most recent
    const three = sqlite.prepare("select 3"); // evicts "select 2"
    expect(sqlite.prepare("select 1")).toBe(one);
    expect(sqlite.prepare("select 3")).toBe(three);
    expect(sqlite.prepare("select 2").pluck().get()).toBe(2);
  });

  it("still throws for bad SQL, and runs writes", () => {
    const sqlite = fresh();
    expect(() => sqlite.prepare("select nope from t")).toThrow(/no such column/);
    const insert = "insert into t (name) values (?)";
    sqlite.prepare(insert).run("d");
    sqlite.prepare(insert).run("e");
    expect(sqlite.prepare("select count(*) from t").pluck().get()).toBe(5);
  });

  it("is installed on every connection openDb makes", () => {
    const db = seededDb();
    const text = "select count(*) from studies";
    expect(db.$client.prepare(text)).toBe(db.$client.prepare(text));
  });
});
