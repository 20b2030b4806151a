import { describe, expect, it } from "vitest";
import { parseAccuracy } from "../../src/ingest/accuracy.js";

describe("parseAccuracy on the review's printed cells", () => {
  it("reads a single percentage as low = high = value", () => {
    expect(parseAccuracy("89.8%")).toEqual({ value: 89.8, low: 89.8, high: 89.8, text: "89.8%", unitAssumed: false });
    expect(parseAccuracy("68.0%")).toMatchObject({ value: 68, low: 68, high: 68 });
  });

  it("reads the figure printed without its % and says the unit was assumed", () => {
    expect(parseAccuracy("99.82")).toEqual({ value: 99.82, low: 99.82, high: 99.82, text: "99.82", unitAssumed: true });
  });

  it("keeps both ends of a range and takes the midpoint as value", () => {
    const r = parseAccuracy("95.5% to 96.67% depending on methods");
    expect(r.low).toBe(95.5);
    expect(r.high).toBe(96.67);
    expect(r.value).toBe(96.085);
    expect(r.text).toBe("95.5% to 96.67% depending on methods");
  });

  it("gives nulls for a cell with no number", () => {
    expect(parseAccuracy("not reported")).toMatchObject({ value: null, low: null, high: null });
  });
});
