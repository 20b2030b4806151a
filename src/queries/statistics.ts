import { z } from "@hono/zod-openapi";

/**
 * Quartiles by linear interpolation between order statistics (Hyndman & Fan type 7: the
 * default of R, NumPy and Excel's QUARTILE.INC). With one value every quartile is that value.
 */
export const QUARTILE_METHOD = "linear interpolation between order statistics (Hyndman & Fan type 7, as R and NumPy default)";

export const MetricSummarySchema = z
  .object({
    n: z.number().int().openapi({ description: "Studies in the group that report the metric", example: 8 }),
    n_missing: z.number().int().openapi({ description: "Studies in the group that do not", example: 0 }),
    mean: z.number().nullable().openapi({ example: 95.8913 }),
    median: z.number().nullable().openapi({ example: 97.475 }),
    q1: z.number().nullable().openapi({ example: 93.5375 }),
    q3: z.number().nullable().openapi({ example: 99.58 }),
    min: z.number().nullable().openapi({ example: 87.2 }),
    max: z.number().nullable().openapi({ example: 99.83 }),
  })
  .openapi("MetricSummary", { description: "Statistics of the metric named in meta.metric, in its printed unit (percent)" });
export type MetricSummary = z.infer<typeof MetricSummarySchema>;

/** A figure as a reader expects it on its scale: 95.3% for percent, 0.953 for a fraction. */
export function formatFigure(x: number, scale: "percent" | "fraction" | null): string {
  if (scale === "percent") return `${Math.round(x * 10) / 10}%`;
  if (scale === "fraction") return `${Math.round(x * 1000) / 1000}`;
  return `${Math.round(x * 1000) / 1000}`;
}

// Four decimals: enough for any printed figure, and float noise (95.49999999) never reaches a client.
const round = (x: number) => Math.round(x * 1e4) / 1e4;

/** Type-7 quantile of an ascending array with at least one element. */
export function quantile(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)]!;
  return a + (h - lo) * (b - a);
}

/** Summary of a group: `values` are the reported figures (nulls for studies that report none). */
export function summarize(values: readonly (number | null)[]): MetricSummary {
  const xs = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  const n_missing = values.length - xs.length;
  if (xs.length === 0) return { n: 0, n_missing, mean: null, median: null, q1: null, q3: null, min: null, max: null };
  return {
    n: xs.length,
    n_missing,
    mean: round(xs.reduce((s, x) => s + x, 0) / xs.length),
    median: round(quantile(xs, 0.5)),
    q1: round(quantile(xs, 0.25)),
    q3: round(quantile(xs, 0.75)),
    min: round(xs[0]!),
    max: round(xs.at(-1)!),
  };
}
