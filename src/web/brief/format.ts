/** Small text helpers shared by the brief's Markdown and HTML renderers. */
import type { Brief } from "../../queries/brief.js";
import { formatRange, formatValue, metricPlural, type Scale } from "../metric-text.js";

/** A figure of the brief's metric on its scale: 95.3% or 0.953. */
export const fig = (v: number | null, scale: Scale) => formatValue(v, scale, 1);

/** Two figures (quartiles, or the lowest and highest), or one dash when there are none. */
export const spread = (low: number | null, high: number | null, scale: Scale) => formatRange(low, high, scale);

export function years(first: number | null, last: number | null): string {
  if (first === null || last === null) return "–";
  return first === last ? String(first) : `${first}–${last}`;
}

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);

/** What the figures are, for the footer: which metric, on which scale, as printed. */
export function footerNote(brief: Brief): string {
  const { metric, scale } = brief.scope;
  const plural = metricPlural(metric);
  const on = scale === "fraction" ? " on a 0–1 scale" : "";
  const where = brief.source.length > 1 ? "the reviews" : "the review";
  return `${plural.charAt(0).toUpperCase()}${plural.slice(1)}${on} as printed in ${where}; a range counts by its midpoint.`;
}

/**
 * Text from the data or the request (an organ name echoed in the title) as literal Markdown: every
 * character that could open markup (an HTML tag, a link, emphasis, a table cell) is backslash-escaped,
 * which CommonMark allows for any ASCII punctuation, so `<script>` shows as text and never runs.
 */
export const escapeMarkdown = (s: string) => s.replace(/[\\`*_[\]<>&|]/g, "\\$&");

/** The reviews behind the brief in one line: their citations, or their number when there are many. */
export function sourceLine(brief: Brief): string {
  const n = brief.source.length;
  if (n <= 3) return brief.source.map((s) => s.citation).join("; ");
  return `${n} reviews (${brief.source[0]!.citation}; and ${n - 1} more, listed by /v1/reviews)`;
}

/**
 * The works the brief counts but does not name, in words, or null when it names them all. The
 * export linked beside it holds exactly the scope's cited works (/v1/studies/references).
 */
export function moreReferences(brief: Brief): string | null {
  const rest = brief.reference_count - brief.references.length;
  if (rest <= 0) return null;
  return `The ${brief.references.length} works above are cited by the studies with the ${brief.scope.metric === "accuracy" ? "highest reported accuracies" : "latest publication years"}; ${rest.toLocaleString("en")} more are cited in this scope, all ${brief.reference_count.toLocaleString("en")} in its export`;
}
