import type { Scale } from "../ingest/review-files.js";
import type { NormalizedMetric } from "../ingest/vocabulary.js";
import { error, type Finding, warning } from "./problems.js";

/**
 * One printed result cell → a number on its metric's scale, or missing, or an error. The rule is
 * that of sqlite-utils' type detection: never silently change a value. Every reading that is not
 * the plain one (a fraction taken for a percentage, a spread left out) is said in a warning, and a
 * value that cannot mean what the metric allows is refused rather than stored as another number.
 */
export type ParsedValue = {
  value: number | null;
  low: number | null;
  high: number | null;
  /** The scale value/low/high are on: the metric's, or the printed one for a metric with none. */
  scale: Scale | null;
  findings: Finding[];
};

// Cells that say "no figure": stored as missing, with a warning so a forgotten cell is seen.
const MISSING = new Set(["", "na", "n/a", "-", "--", "—", "–", "?", "notreported", "nr", "none", "notavailable", "nd", "null"]);

// Digits with at most one decimal separator, "." or ",": "95,3" is 95.3, never the range 3–95.
const NUM = String.raw`\d+(?:[.,]\d+)?|[.,]\d+`;
const SINGLE = new RegExp(`^([+-]?)(${NUM})\\s*%?$`);
const RANGE = new RegExp(`^(${NUM})\\s*%?\\s*(?:-|–|—|to)\\s*(${NUM})\\s*%?$`, "i");
const SPREAD = /\s*(?:±|\+\/-|\+\s*-)\s*/;

const toNumber = (s: string) => Number(s.replace(",", "."));
/** Millionths, as src/ingest/accuracy.ts rounds: 0.953 × 100 is 95.3, not 95.30000000000001. */
const round = (n: number) => Math.round(n * 1e6) / 1e6;
const fmt = (n: number) => String(round(n));

const UNITS: Record<string, Scale> = {
  "%": "percent",
  percent: "percent",
  percentage: "percent",
  pct: "percent",
  "0-100": "percent",
  fraction: "fraction",
  proportion: "fraction",
  "0-1": "fraction",
  ratio: "fraction",
};

/** A sheet's `unit`/`scale` cell: overrides the guessing for its row. */
export function parseUnit(printed: string): { unit: Scale | null; findings: Finding[] } {
  const key = printed.trim().toLowerCase().replace(/[–—]/g, "-").replace(/\s+/g, "");
  if (key === "") return { unit: null, findings: [] };
  const unit = UNITS[key];
  if (unit) return { unit, findings: [] };
  return { unit: null, findings: [error("bad-value", `unit "${printed.trim()}" is not one of %, percent, fraction, 0-1`)] };
}

type Metric = Pick<NormalizedMetric, "value" | "scale" | "min" | "max">;

export function parseValue(printed: string, metric: Metric, unit: Scale | null = null): ParsedValue {
  const text = printed.trim().replace(/\u2212/g, "-");
  const none = (findings: Finding[]): ParsedValue => ({ value: null, low: null, high: null, scale: metric.scale, findings });
  if (MISSING.has(text.toLowerCase().replace(/[\s.]/g, ""))) {
    return none([warning("missing-value", `no ${metric.value} figure${text === "" ? "" : ` ("${text}")`}: stored as missing`)]);
  }

  const findings: Finding[] = [];
  const [centre = "", spread, ...more] = text.split(SPREAD);
  if (spread !== undefined) {
    if (more.length > 0 || !SINGLE.test(spread.trim())) return none([error("bad-value", `"${text}" is not a number ± a spread`)]);
    findings.push(warning("spread", `the ± ${spread.trim()} spread is not stored; the value is the centre, the printed text keeps both`));
  }

  let numbers: number[];
  const single = centre.match(SINGLE);
  const range = centre.match(RANGE);
  if (single) numbers = [toNumber(`${single[1]}${single[2]}`)];
  else if (range && spread === undefined) numbers = [toNumber(range[1]!), toNumber(range[2]!)];
  else return none([error("bad-value", `"${text}" is not a number, a range or n/a`)]);
  if (numbers.length === 2 && numbers[0]! > numbers[1]!) {
    return none([error("bad-value", `range "${text}" runs from high to low`)]);
  }

  const percentSign = text.includes("%");
  if (percentSign && unit === "fraction") {
    return none([error("ambiguous-scale", `"${text}" is printed with % but its unit says fraction`)]);
  }
  let printedScale: Scale | null = percentSign ? "percent" : unit;
  if (printedScale === null && metric.scale === "percent" && numbers.every((n) => n >= 0 && n <= 1)) {
    // 0.953 as an accuracy is a fraction (95.3 %): an accuracy under 1 % is not a result anyone reports.
    printedScale = "fraction";
    const as = numbers.map((n) => `${fmt(n * 100)} %`).join(" to ");
    findings.push(warning("ambiguous-scale", `"${text}" has no % and is at most 1: read as the fraction ${as}`));
  }
  printedScale ??= metric.scale;

  const factor = metric.scale === null || printedScale === metric.scale ? 1 : metric.scale === "percent" ? 100 : 0.01;
  const scaled = numbers.map((n) => round(n * factor));
  const scale = metric.scale ?? printedScale;

  if (metric.min !== null && metric.max !== null) {
    const outside = scaled.find((n) => n < metric.min! || n > metric.max!);
    if (outside !== undefined) {
      const range = `${fmt(metric.min)}–${fmt(metric.max)}${metric.scale === "percent" ? " %" : ""}`;
      const hint =
        metric.scale === "fraction" && !percentSign && unit === null ? " (a 0–1 fraction; a percentage needs its % sign)" : "";
      return none([...findings, error("out-of-range", `${metric.value} must be ${range}${hint}`)]);
    }
  }

  const low = scaled.length === 2 ? scaled[0]! : null;
  const high = scaled.length === 2 ? scaled[1]! : null;
  const value = low !== null && high !== null ? round((low + high) / 2) : scaled[0]!;
  return { value, low, high, scale, findings };
}
