/** Small text helpers shared by the brief's Markdown and HTML renderers. */

export const pct = (v: number | null) => (v === null ? "–" : `${Math.round(v * 10) / 10}%`);

export const spread = (q1: number | null, q3: number | null) => (q1 === null || q3 === null ? "–" : `${pct(q1)}–${pct(q3)}`);

export function years(first: number | null, last: number | null): string {
  if (first === null || last === null) return "–";
  return first === last ? String(first) : `${first}–${last}`;
}

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);
