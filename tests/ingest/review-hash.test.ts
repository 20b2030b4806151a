import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_DATA_DIR } from "../../src/config.js";
import { loadAll } from "../../src/ingest/load.js";
import { listReviewDirs, readReviewFiles, reviewFilesHash } from "../../src/ingest/review-files.js";
import { migrateDb, openDb } from "../../src/db/client.js";

const scratch = mkdtempSync(join(tmpdir(), "review-hash-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("an unchanged review folder at start", () => {
  it("hashes as readReviewFiles does, so a start recognises it without parsing it", () => {
    const dirs = listReviewDirs(DEFAULT_DATA_DIR);
    expect(dirs.length).toBeGreaterThan(0);
    for (const dir of dirs) expect(reviewFilesHash(dir)).toBe(readReviewFiles(dir).hash);
    expect(reviewFilesHash(join(scratch, "no-such-folder"))).toBeNull();
  });

  it("is reported unchanged; an edited one is parsed and loaded again", () => {
    const data = join(scratch, "reviews");
    cpSync(DEFAULT_DATA_DIR, data, { recursive: true });
    const [dir] = listReviewDirs(data);
    const db = openDb(":memory:");
    migrateDb(db);
    const outcome = (status: string, studies: number) => ({ loaded: [{ reviewId: "dlmia-2024", status, studies, works: 53 }], failed: [] });
    expect(loadAll(db, data)).toEqual(outcome("loaded", 24));
    expect(loadAll(db, data)).toEqual(outcome("unchanged", 24));
    // A studies sheet with its header only: read, parsed and stored as no studies.
    const studies = join(dir!, "studies.tsv");
    const header = readFileSync(studies, "utf8").split("\n")[0]!;
    writeFileSync(studies, `${header}\n`);
    expect(loadAll(db, data)).toEqual(outcome("loaded", 0));
    expect(loadAll(db, data)).toEqual(outcome("unchanged", 0));
    cpSync(join(DEFAULT_DATA_DIR, "dlmia-2024", "studies.tsv"), studies);
    expect(loadAll(db, data)).toEqual(outcome("loaded", 24));
    db.$client.close();
  });
});
