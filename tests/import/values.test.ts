import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeMetric } from "../../src/ingest/vocabulary.js";
import { parseUnit, parseValue } from "../../src/import/values.js";

const accuracy = normalizeMetric("accuracy");
const auc = normalizeMetric("AUC");
const kappa = normalizeMetric("kappa");
const codes = (r: { findings: { code: string; severity: string }[] }) => r.findings.map((f) => `${f.severity}:${f.code}`);

describe("parseValue", () => {
  it.each([
    ["95.3%", 95.3],
    ["95.3 %", 95.3],
    ["95,3%", 95.3],
    ["95,3", 95.3],
    ["99.82", 99.82],
    ["100%", 100],
  ])("accuracy %j → %d with no finding", (printed, value) => {
    expect(parseValue(printed, accuracy)).toEqual({ value, low: null, high: null, scale: "percent", findings: [] });
  });

  it.each([
    ["95.5–96.67", 95.5, 96.67],
    ["95.5 - 96.67", 95.5, 96.67],
    ["95.5% to 96.67%", 95.5, 96.67],
    ["95,5-96,67 %", 95.5, 96.67],
  ])("a range %j keeps both ends and stands by its midpoint", (printed, low, high) => {
    expect(parseValue(printed, accuracy)).toEqual({ value: 96.085, low, high, scale: "percent", findings: [] });
  });

  it("a ± spread stores the centre and says so", () => {
    const r = parseValue("72.1 ± 0.9%", accuracy);
    expect(r).toMatchObject({ value: 72.1, low: null, high: null, scale: "percent" });
    expect(codes(r)).toEqual(["warning:spread"]);
    expect(parseValue("0.96 +/- 0.01", auc)).toMatchObject({ value: 0.96 });
  });

  it.each(["", "n/a", "NA", "-", "—", "not reported", " N.R. "])("%j is missing, with a warning", (printed) => {
    const r = parseValue(printed, accuracy);
    expect(r.value).toBeNull();
    expect(codes(r)).toEqual(["warning:missing-value"]);
  });

  it("reads an accuracy printed as a 0–1 fraction as a percentage, and says so", () => {
    const r = parseValue("0.953", accuracy);
    expect(r.value).toBe(95.3);
    expect(codes(r)).toEqual(["warning:ambiguous-scale"]);
    expect(r.findings[0]!.message).toContain("95.3 %");
  });

  it("puts an AUC printed as a percentage on its 0–1 scale", () => {
    expect(parseValue("99.1%", auc)).toEqual({ value: 0.991, low: null, high: null, scale: "fraction", findings: [] });
    expect(parseValue("0.991", auc)).toEqual({ value: 0.991, low: null, high: null, scale: "fraction", findings: [] });
  });

  it.each([
    ["130%", accuracy, "accuracy must be 0–100 %"],
    ["-5", accuracy, "accuracy must be 0–100 %"],
    ["3", auc, "auc must be 0–1"],
    ["96.6", auc, "a percentage needs its % sign"],
    ["-1.5", kappa, "kappa must be -1–1"],
  ])("%j is out of range: an error, never another number", (printed, metric, message) => {
    const r = parseValue(printed, metric);
    expect(r.value).toBeNull();
    expect(codes(r)).toContain("error:out-of-range");
    expect(r.findings.at(-1)!.message).toContain(message);
  });

  it("allows a negative kappa", () => {
    expect(parseValue("-0.2", kappa).value).toBe(-0.2);
    expect(parseValue("\u22120.2", kappa).value).toBe(-0.2);
  });

  it.each(["high", "95.3.1", "1,234.5", "~95", "96-95", "95 ± x"])("%j is an error", (printed) => {
    const r = parseValue(printed, accuracy);
    expect(r.value).toBeNull();
    expect(r.findings.some((f) => f.severity === "error")).toBe(true);
  });

  it("a unit column overrides the guessing", () => {
    expect(parseValue("0.5", accuracy, "percent")).toMatchObject({ value: 0.5, findings: [] });
    expect(parseValue("0.953", accuracy, "fraction")).toMatchObject({ value: 95.3, findings: [] });
    expect(parseValue("96.6", auc, "percent")).toMatchObject({ value: 0.966, findings: [] });
    expect(codes(parseValue("96%", auc, "fraction"))).toEqual(["error:ambiguous-scale"]);
  });

  it("keeps an unknown metric's number as printed, on the printed scale if it has one", () => {
    const youden = normalizeMetric("Youden index");
    expect(parseValue("0.71", youden)).toEqual({ value: 0.71, low: null, high: null, scale: null, findings: [] });
    expect(parseValue("71%", youden)).toMatchObject({ value: 71, scale: "percent" });
  });
});

describe("parseUnit", () => {
  it.each([
    ["%", "percent"],
    ["Percent", "percent"],
    ["fraction", "fraction"],
    ["0–1", "fraction"],
    ["", null],
  ])("%j → %s", (printed, unit) => {
    expect(parseUnit(printed)).toEqual({ unit, findings: [] });
  });
  it("refuses anything else", () => {
    expect(parseUnit("mm").findings[0]).toMatchObject({ severity: "error", code: "bad-value" });
  });
});

// Every number the text prints, signed as printed, and the midpoints of two: what a value may be.
function printedNumbers(text: string): number[] {
  const nums = [...text.replace(/\u2212/g, "-").matchAll(/-?(\d+(?:[.,]\d+)?|[.,]\d+)/g)].flatMap((m) => {
    const n = Number(m[0].replace(",", "."));
    return [n, Math.abs(n)];
  });
  return [...nums, ...nums.flatMap((a) => nums.map((b) => (a + b) / 2))];
}
const near = (a: number, b: number) => Math.abs(a - b) < 1e-6;

describe("parseValue never stores a number other than the one printed", () => {
  const alphabet = fc.constantFrom("0", "1", "5", "9", ".", ",", "%", "-", "–", " ", "±", "to", "n/a", "+", "e", "x", "\u2212");
  const hostile = fc.oneof(fc.string(), fc.array(alphabet, { maxLength: 8 }).map((a) => a.join("")));

  it("for any text: the number printed (on the metric's scale), missing with a warning, or an error", () => {
    fc.assert(
      fc.property(hostile, fc.constantFrom(accuracy, auc, kappa), (text, metric) => {
        const r = parseValue(text, metric);
        if (r.value === null) {
          expect(r.findings.some((f) => f.severity === "error" || f.code === "missing-value")).toBe(true);
          return;
        }
        expect(r.findings.some((f) => f.severity === "error")).toBe(false);
        const printed = printedNumbers(text);
        const plain = printed.some((n) => near(n, r.value!));
        const converted = printed.some((n) => near(n * (metric.scale === "percent" ? 100 : 0.01), r.value!));
        if (!plain) {
          expect(converted).toBe(true);
          // A change of scale is either the printed % sign or a warning that says so.
          expect(text.includes("%") || r.findings.some((f) => f.code === "ambiguous-scale")).toBe(true);
        }
        expect(r.value).toBeGreaterThanOrEqual(metric.min!);
        expect(r.value).toBeLessThanOrEqual(metric.max!);
      }),
      { numRuns: 2000 },
    );
  });

  it("an accuracy printed in any usual form reads back as itself", () => {
    const hundredths = fc.integer({ min: 0, max: 10000 }).map((n) => n / 100);
    fc.assert(
      fc.property(hundredths, (x) => {
        for (const printed of [`${x}%`, `${x} %`, `${String(x).replace(".", ",")}%`, `${x / 100}`, `${x} ± 1.5%`]) {
          expect(parseValue(printed, accuracy).value).toBeCloseTo(x, 6);
        }
        if (x > 1) expect(parseValue(`${x}`, accuracy).value).toBe(x);
      }),
    );
  });

  it("an AUC printed as a fraction or a percentage reads back as itself", () => {
    const thousandths = fc.integer({ min: 0, max: 1000 }).map((n) => n / 1000);
    fc.assert(
      fc.property(thousandths, (y) => {
        expect(parseValue(`${y}`, auc).value).toBe(y);
        expect(parseValue(`${y * 100}%`, auc).value).toBeCloseTo(y, 6);
      }),
    );
  });
});
