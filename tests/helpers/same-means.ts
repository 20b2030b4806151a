/**
 * A mean exactly half-way at the fifth decimal (85.99275) rounds either way depending on how it
 * was summed: SQLite's avg() compensates float error, the JS reference and the summaries'
 * integer millionths do not work the same way. Means are compared to 3 decimals, all else exactly.
 */
export function sameMeans<T>(x: T): T {
  return JSON.parse(JSON.stringify(x), (k, v: unknown) => (k === "mean" && typeof v === "number" ? Math.round(v * 1e3) / 1e3 : v));
}
