import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { refusal, writeFolder } from "../../src/import/write.js";

describe("writeFolder", () => {
  const dataDir = () => mkdtempSync(join(tmpdir(), "litreview-write-"));

  it("replaces a folder whole and leaves no scratch folder behind", () => {
    const dir = dataDir();
    writeFolder(dir, "r", { "review.json": "1", "studies.tsv": "old" }).commit();
    writeFolder(dir, "r", { "review.json": "2", "results.tsv": "new" }).commit();
    expect(readdirSync(dir)).toEqual(["r"]);
    expect(readdirSync(join(dir, "r")).sort()).toEqual(["results.tsv", "review.json"]);
    expect(readFileSync(join(dir, "r", "review.json"), "utf8")).toBe("2");
  });

  it("restore() puts the previous folder back, as when the loader refuses the new one", () => {
    const dir = dataDir();
    writeFolder(dir, "r", { "review.json": "1" }).commit();
    writeFolder(dir, "r", { "review.json": "2" }).restore();
    expect(readdirSync(dir)).toEqual(["r"]);
    expect(readFileSync(join(dir, "r", "review.json"), "utf8")).toBe("1");
  });

  it("restore() of a first import leaves nothing", () => {
    const dir = dataDir();
    writeFolder(dir, "r", { "review.json": "1" }).restore();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("refusal", () => {
  it("turns the loader's refusal into report problems, and leaves any other failure to be thrown", async () => {
    const { ReviewDataError } = await import("../../src/ingest/build.js");
    const problems = refusal(new ReviewDataError(["studies.csv row 2: no citation link"]), "/d", "studies.csv");
    expect(problems).toEqual([
      {
        severity: "error",
        code: "load-refused",
        file: "studies.csv",
        row: null,
        column: null,
        value: null,
        message: "the loader refuses the written studies.csv row 2: no citation link",
      },
    ]);
    expect(refusal(new Error("disk full"), "/d", "studies.csv")).toBeNull();
  });
});
