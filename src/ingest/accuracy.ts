/** A reported figure as numbers: a range keeps both ends and stands in statistics by its midpoint. */
export type ParsedFigure = {
  value: number | null;
  low: number | null;
  high: number | null;
  text: string;
  /** True when the printed text had no unit and a percentage was assumed. */
  unitAssumed: boolean;
};

const NUMBER = /(\d+(?:\.\d+)?)\s*(%?)/g;

/**
 * Parses an accuracy cell such as "89.8%", "99.82" (unit missing) or
 * "95.5% to 96.67% depending on methods". Values are percentages.
 */
export function parseAccuracy(text: string): ParsedFigure {
  const trimmed = text.trim();
  const matches = [...trimmed.matchAll(NUMBER)];
  if (matches.length === 0) {
    return { value: null, low: null, high: null, text: trimmed, unitAssumed: false };
  }
  const numbers = matches.map((m) => Number(m[1]));
  const unitAssumed = matches.every((m) => m[2] !== "%");
  const low = Math.min(...numbers.slice(0, 2));
  const high = Math.max(...numbers.slice(0, 2));
  const value = round((low + high) / 2);
  return { value, low, high, text: trimmed, unitAssumed };
}

// Midpoints of two-decimal figures need three decimals; rounding hides float noise (96.08500000001).
function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
