/** Small text helpers shared by the brief's Markdown and HTML renderers. */

export const pct = (v: number | null) => (v === null ? "–" : `${Math.round(v * 10) / 10}%`);

export const spread = (q1: number | null, q3: number | null) => (q1 === null || q3 === null ? "–" : `${pct(q1)}–${pct(q3)}`);

export function years(first: number | null, last: number | null): string {
  if (first === null || last === null) return "–";
  return first === last ? String(first) : `${first}–${last}`;
}

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);

/**
 * Text from the data or the request (an organ name echoed in the title) as literal Markdown: every
 * character that could open markup (an HTML tag, a link, emphasis, a table cell) is backslash-escaped,
 * which CommonMark allows for any ASCII punctuation, so `<script>` shows as text and never runs.
 */
export const escapeMarkdown = (s: string) => s.replace(/[\\`*_[\]<>&|]/g, "\\$&");
