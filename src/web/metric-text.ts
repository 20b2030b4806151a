/**
 * How a metric and its figures are written, shared by the dashboard (in the browser) and the
 * brief (on the server), so a figure is never shown under another metric's name or scale. Its one
 * import has none of its own: the dashboard bundles this file.
 */
import { metricName } from "../queries/metric-names.js";

export { metricName };

export type Scale = "percent" | "fraction" | null;

/** The metric a set of figures is on, as the API's meta (or the brief's scope) names it. */
export type MetricScale = { metric: string; scale: Scale };

export const DEFAULT_METRIC = "accuracy";


/** The metric at the start of a heading or a column: "Accuracy", "AUC". */
export function metricTitle(metric: string): string {
  const name = metricName(metric);
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** Several figures of the metric: "accuracies", "AUC values". */
export const metricPlural = (metric: string) => (metric === "accuracy" ? "accuracies" : `${metricName(metric)} values`);

/**
 * The unit after a heading. A percent figure carries its "%" itself, so only a fraction's heading
 * says its scale; an axis (whose ticks are bare numbers) always does, through axisUnit.
 */
export const headingUnit = (scale: Scale) => (scale === "fraction" ? " (0–1)" : "");
export const axisUnit = (scale: Scale) => (scale === "percent" ? " (%)" : scale === "fraction" ? " (0–1)" : "");

/**
 * A figure on its scale: 95.3% (`digits` decimals, trailing zeros dropped, as the review prints
 * them) or 0.953 (always three decimals, so a fraction reads as one at a glance: 0.960, not 0.96).
 */
export function formatValue(v: number | null | undefined, scale: Scale, digits = 1): string {
  if (v === null || v === undefined) return "–";
  if (scale === "percent") return `${Math.round(v * 10 ** digits) / 10 ** digits}%`;
  if (scale === "fraction") return v.toFixed(3);
  return String(Math.round(v * 1000) / 1000);
}

/** From one figure to another, or a dash when either is missing. */
export const formatRange = (low: number | null | undefined, high: number | null | undefined, scale: Scale, digits = 1, sep = "–") =>
  low === null || low === undefined || high === null || high === undefined ? "–" : `${formatValue(low, scale, digits)}${sep}${formatValue(high, scale, digits)}`;

/**
 * A result as the reader sees it: the printed text, unless that text is on another scale than
 * the metric's (an AUC printed "96%" is stored as 0.96): then the figure on the metric's scale,
 * with the printed text beside it, so a 0–1 metric never reads as a percentage by itself.
 */
export function resultText(r: { value: number | null; text: string | null; scale: Scale } | undefined, digits = 1): string | null {
  if (!r) return null;
  if (r.scale === "fraction" && r.value !== null && (r.text ?? "").includes("%")) {
    return `${formatValue(r.value, r.scale, digits)} (printed as ${r.text})`;
  }
  return r.text ?? (r.value === null ? null : formatValue(r.value, r.scale, digits));
}
