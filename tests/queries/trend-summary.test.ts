import { describe, expect, it } from "vitest";
import { trendSummary } from "../../src/queries/trend-summary.js";
import type { TrendYear } from "../../src/queries/trends.js";

// At the size of a base of many reviews the counts run into the millions: the sentences are for
// pasting into a report, so they carry thousands separators (years do not).
const year = (y: number, ft: number, fe: number): TrendYear => ({ year: y, count: ft + fe, series: { "fine-tuning": ft, "feature-extraction": fe }, median: 90, median_n: ft + fe });

describe("trendSummary at the size of a large base", () => {
  it("writes counts as 1,000,024 and years as 2025", () => {
    const years = [year(2016, 120_000, 80_012), year(2020, 150_000, 250_000), year(2025, 300_000, 100_012)];
    const text = trendSummary("strategy", years, () => 88.5);
    expect(text).toContain("The 1,000,024 matching studies were published between 2016 and 2025.");
    expect(text).toContain("The busiest year was 2025, with 400,012 studies.");
    expect(text).toMatch(/\(\d{1,3}(,\d{3})+ of \d{1,3}(,\d{3})+ studies\)/);
    expect(text).not.toMatch(/\b\d{5,}\b/); // no count left without its separators
  });
});
