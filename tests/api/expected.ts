import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_DATA_DIR } from "../../src/config.js";

/**
 * The studies as the curated TSV states them, parsed here independently of src/ingest, so the
 * API tests compare the API with the data file rather than with the code under test.
 */
export type TsvStudy = {
  source: { table: string; row: number };
  organ: string;
  year: number;
  condition: string;
  strategy: string;
  backbones: string[];
  accuracy: number;
};

export function tsvStudies(): TsvStudy[] {
  const [header, ...lines] = readFileSync(join(DEFAULT_DATA_DIR, "dlmia-2024", "studies.tsv"), "utf8").trim().split("\n");
  const cols = header!.split("\t");
  return lines.map((line) => {
    const cells = line.split("\t");
    const get = (name: string) => cells[cols.indexOf(name)] ?? "";
    const numbers = get("accuracy_printed").match(/\d+(\.\d+)?/g)!.map(Number);
    return {
      source: { table: get("table"), row: Number(get("row")) },
      organ: get("organ"),
      year: Number(get("year")),
      condition: get("condition"),
      strategy: get("strategy"),
      backbones: get("backbones") === "" ? [] : get("backbones").split(";"),
      // A printed range enters by its midpoint.
      accuracy: numbers.reduce((s, x) => s + x, 0) / numbers.length,
    };
  });
}

/** Type-7 (linear interpolation) quantile, written out again for the tests. */
export function q7(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  return s[lo]! + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]!) - s[lo]!);
}

export function countBy<T>(xs: T[], key: (x: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const x of xs) counts[key(x)] = (counts[key(x)] ?? 0) + 1;
  return counts;
}
