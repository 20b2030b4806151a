import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, openDb } from "../../src/db/client.js";
import { countReferences, ET_AL, listReferences, trigramMatch } from "../../src/queries/references.js";
import { synthesize } from "../../src/synth/write.js";
import { seededDb } from "../helpers/seeded.js";

/**
 * The works' trigram index (migrations/0007) only narrows the reference search: `q` answers
 * exactly as the substring test over every work (title, venue, each author name but the "et al."
 * marker; SQLite's LIKE, ASCII case folding), on the real review, on a synthetic corpus, and after
 * works are added, edited and deleted.
 */
function everyMatch(db: Db, q: string): number[] {
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db.$client
    .prepare(
      `SELECT id FROM works w WHERE w.title LIKE @p ESCAPE '\\' OR w.venue LIKE @p ESCAPE '\\'
        OR EXISTS (SELECT 1 FROM json_each(w.authors) a WHERE a.value LIKE @p ESCAPE '\\' AND a.value <> @etal) ORDER BY id`,
    )
    .pluck()
    .all({ p: pattern, etal: ET_AL }) as number[];
}
const listed = (db: Db, q: string) => listReferences(db, { q, limit: 1000 }).results.map((r) => r.id);

const QUERIES = [
  "learning", "LEARNING", "deep learning", "Litjens", "litjens g", "IEEE", "Med", "ima", "et al", "et al.", "al.",
  "transfer learning for", "Shin", "ü", "zürich", "ab", "x", "%", "50%", "_", 'say "hi"', "net ", " net", "2016", "nothing-like-this",
];

describe("the reference search through the trigram index", () => {
  it("gives trigrams only from three characters on, each once", () => {
    expect(trigramMatch("ab")).toBeNull();
    expect(trigramMatch("abcb")).toBe('"abc" AND "bcb"');
    expect(trigramMatch('a"bc')).toBe('"a""b" AND """bc"');
    expect(trigramMatch("aaaa")).toBe('"aaa"');
  });

  it("answers as the substring test over every work, on the real review", () => {
    const db = seededDb();
    for (const q of QUERIES) {
      const expected = everyMatch(db, q);
      expect(listed(db, q), q).toEqual(expected);
      expect(countReferences(db, { q }), q).toBe(expected.length);
    }
    expect(everyMatch(db, "learning").length).toBeGreaterThan(10);
  });

  describe("on a synthetic corpus", () => {
    let dir: string;
    let db: Db;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), "litreview-refsearch-"));
      synthesize({ studies: 3_000, out: join(dir, "r.db"), seed: 3 });
      db = openDb(join(dir, "r.db"));
    });
    afterAll(() => {
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it("fills the index in the synthetic writer and answers as the substring test", () => {
      const works = db.$client.prepare("SELECT count(*) FROM works").pluck().get() as number;
      expect(db.$client.prepare("SELECT count(*) FROM works_search WHERE works_search MATCH '\"the\" OR \"ing\" OR \"ion\"'").pluck().get()).toBeGreaterThan(works / 2);
      const names = db.$client.prepare("SELECT json_extract(authors, '$[0]') FROM works WHERE id % 97 = 0 LIMIT 5").pluck().all() as string[];
      for (const q of [...QUERIES, ...names]) {
        const expected = everyMatch(db, q);
        expect(countReferences(db, { q }), q).toBe(expected.length);
        expect(listed(db, q), q).toEqual(expected.slice(0, 1000));
      }
    });

    it("follows works added, edited and deleted", () => {
      const id = db.$client.prepare("SELECT min(id) FROM works").pluck().get() as number;
      db.$client.prepare("UPDATE works SET title = 'Quokka counting with transfer', venue = 'Wombat Letters' WHERE id = ?").run(id);
      expect(listed(db, "quokka")).toEqual([id]);
      expect(listed(db, "wombat l")).toEqual([id]);
      const added = db.$client
        .prepare("INSERT INTO works (review_id, identity, authors, title, type, raw, off_topic) SELECT review_id, 'quokka-2', '[\"Quokkason, Q.\"]', 'On marsupials', type, raw, 0 FROM works WHERE id = ? RETURNING id")
        .pluck()
        .get(id) as number;
      expect(listed(db, "quokka")).toEqual([id, added]);
      db.$client.prepare("DELETE FROM works WHERE id = ?").run(id);
      expect(listed(db, "quokka")).toEqual([added]);
      expect(everyMatch(db, "quokka")).toEqual([added]);
    });
  });
});
