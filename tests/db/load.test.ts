import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { count, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_DATA_DIR } from "../../src/config.js";
import type { Db } from "../../src/db/client.js";
import { reviews, studies, studyResults, workEntries, works } from "../../src/db/schema.js";
import { openAndLoad } from "../../src/db/setup.js";

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "litreview-load-"));
  temps.push(dir);
  return dir;
}

const snapshot = (db: Db) => ({
  studies: db.select({ n: count() }).from(studies).get()?.n,
  works: db.select({ n: count() }).from(works).get()?.n,
  results: db.select({ n: count() }).from(studyResults).get()?.n,
  ids: db.select({ id: studies.id }).from(studies).all().map((r) => r.id),
  loadedAt: db.select({ at: reviews.loadedAt }).from(reviews).all(),
});

describe("loading", () => {
  it("is idempotent: a second start on the same file changes nothing", () => {
    const path = join(tempDir(), "lit.db");
    const first = openAndLoad(path, DEFAULT_DATA_DIR);
    expect(first.loaded).toEqual([{ reviewId: "dlmia-2024", status: "loaded", studies: 24, works: 53 }]);
    const before = snapshot(first.db);
    first.db.$client.close();

    const second = openAndLoad(path, DEFAULT_DATA_DIR);
    expect(second.loaded[0]?.status).toBe("unchanged");
    expect(snapshot(second.db)).toEqual(before);
    second.db.$client.close();
  });

  it("opens file databases in WAL mode with foreign keys on", () => {
    const { db } = openAndLoad(join(tempDir(), "lit.db"), DEFAULT_DATA_DIR);
    expect(db.$client.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.$client.pragma("foreign_keys", { simple: true })).toBe(1);
    db.$client.close();
  });

  it("replaces a review whose data changed, without duplicating it", () => {
    const data = tempDir();
    cpSync(join(DEFAULT_DATA_DIR, "dlmia-2024"), join(data, "dlmia-2024"), { recursive: true });
    const path = join(tempDir(), "lit.db");
    openAndLoad(path, data).db.$client.close();

    const file = join(data, "dlmia-2024", "studies.tsv");
    writeFileSync(file, readFileSync(file, "utf8").replace("\t68.0%\n", "\t68.5%\n"));
    const { db, loaded } = openAndLoad(path, data);
    expect(loaded[0]?.status).toBe("loaded");
    expect(snapshot(db).studies).toBe(24);
    const lung = db
      .select({ value: studyResults.value })
      .from(studyResults)
      .innerJoin(studies, eq(studies.id, studyResults.studyId))
      .where(eq(studies.authorsPrinted, "Nishio M et al [40]"))
      .get();
    expect(lung?.value).toBe(68.5);
    db.$client.close();
  });

  it("keeps every study's and work's id when a review is reloaded, even rows loaded before works had an identity", () => {
    const data = tempDir();
    cpSync(join(DEFAULT_DATA_DIR, "dlmia-2024"), join(data, "dlmia-2024"), { recursive: true });
    const path = join(tempDir(), "lit.db");
    const ids = (db: Db) => ({
      studies: db.select({ id: studies.id, table: studies.sourceTable, row: studies.sourceRow }).from(studies).orderBy(studies.id).all(),
      works: db.select({ id: works.id, title: works.title }).from(works).orderBy(works.id).all(),
    });
    const first = openAndLoad(path, data).db;
    const before = ids(first);
    // As a database written before migration 0005 holds them: no identity on any work.
    first.$client.prepare("update works set identity = null").run();
    first.$client.close();

    const file = join(data, "dlmia-2024", "studies.tsv");
    writeFileSync(file, readFileSync(file, "utf8").replace("\t68.0%\n", "\t68.5%\n"));
    const { db, loaded } = openAndLoad(path, data);
    expect(loaded[0]?.status).toBe("loaded");
    expect(ids(db)).toEqual(before);
    expect(before.studies).toHaveLength(24);
    expect(before.works).toHaveLength(53);
    db.$client.close();
  });

  it("loads a second review beside the first", () => {
    const data = tempDir();
    cpSync(join(DEFAULT_DATA_DIR, "dlmia-2024"), join(data, "dlmia-2024"), { recursive: true });
    cpSync(join(DEFAULT_DATA_DIR, "dlmia-2024"), join(data, "copy-review"), { recursive: true });
    const meta = join(data, "copy-review", "review.json");
    writeFileSync(meta, readFileSync(meta, "utf8").replace('"id": "dlmia-2024"', '"id": "copy-review"'));
    const { db, loaded } = openAndLoad(":memory:", data);
    expect(loaded.map((l) => l.reviewId)).toEqual(["copy-review", "dlmia-2024"]);
    const per = db.select({ review: studies.reviewId, n: count() }).from(studies).groupBy(studies.reviewId).all();
    expect(per).toEqual([
      { review: "copy-review", n: 24 },
      { review: "dlmia-2024", n: 24 },
    ]);
    // The same 53 works, cited by both reviews: one row each, with an entry per review.
    expect(db.select({ n: count() }).from(works).get()?.n).toBe(53);
    expect(db.select({ n: count() }).from(workEntries).get()?.n).toBe(118); // 59 printed entries per review
  });

  it("refuses data whose normalized columns disagree with the normalizers, naming the row", () => {
    const data = tempDir();
    cpSync(join(DEFAULT_DATA_DIR, "dlmia-2024"), join(data, "dlmia-2024"), { recursive: true });
    const file = join(data, "dlmia-2024", "studies.tsv");
    writeFileSync(file, readFileSync(file, "utf8").replace("Fine-tuning on ResNet\tfine-tuning", "Fine-tuning on ResNet\tcombined"));
    const { failed, loaded } = openAndLoad(":memory:", data);
    expect(loaded).toEqual([]);
    expect(failed).toHaveLength(1);
    expect(failed[0]?.reviewId).toBe("dlmia-2024");
    expect(failed[0]?.problems).toEqual([expect.stringMatching(/^Table 1 row 6: method text gives strategy fine-tuning, data says combined$/)]);
  });
});
