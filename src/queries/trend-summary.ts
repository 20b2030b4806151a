import type { Scale } from "../ingest/review-files.js";
import { metricName } from "./metric-names.js";
import { formatFigure } from "./statistics.js";
import type { Series, TrendYear } from "./trends.js";
import { thousands } from "./thousands.js";

const span = (a: number, b: number) => (a === b ? `${a}` : `${a}–${b}`);
const list = (xs: (string | number)[]) => (xs.length <= 1 ? `${xs[0] ?? ""}` : `${xs.slice(0, -1).join(", ")} and ${xs.at(-1)}`);
const label = (series: Series, key: string) => (series === "strategy" ? key.replace("-", " ") : key);

/** The series value with the most entries over some years, with its share. */
function leader(years: TrendYear[]) {
  const totals = new Map<string, number>();
  for (const y of years) for (const [k, n] of Object.entries(y.series)) totals.set(k, (totals.get(k) ?? 0) + n);
  const all = [...totals.values()].reduce((s, n) => s + n, 0);
  const [key, n] = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0] ?? ["", 0];
  return { key, n, all };
}

/**
 * A few plain sentences from the numbers, for a policymaker to paste: the span, the peak year,
 * how the mix shifted between the earlier and the later half of the years, and the medians.
 */
export function trendSummary(
  series: Series,
  years: TrendYear[],
  medianBetween: (from: number, to: number) => number | null,
  measure: { metric: string; scale: Scale | null } = { metric: "accuracy", scale: "percent" },
): string {
  const active = years.filter((y) => y.count > 0);
  const total = active.reduce((s, y) => s + y.count, 0);
  if (active.length === 0) return "No dated studies match these filters.";
  const first = active[0]!.year;
  const last = active.at(-1)!.year;
  const sentences = [
    first === last
      ? `All ${thousands(total)} matching ${total === 1 ? "study was" : "studies were"} published in ${first}.`
      : `The ${thousands(total)} matching studies were published between ${first} and ${last}.`,
  ];
  if (active.length > 1) {
    const peak = Math.max(...active.map((y) => y.count));
    const peaks = active.filter((y) => y.count === peak).map((y) => y.year);
    sentences.push(
      peaks.length === 1
        ? `The busiest year was ${peaks[0]}, with ${thousands(peak)} ${peak === 1 ? "study" : "studies"}.`
        : `The busiest years were ${list(peaks)}, with ${thousands(peak)} ${peak === 1 ? "study" : "studies"} each.`,
    );
    const cut = Math.ceil(active.length / 2);
    const early = active.slice(0, cut);
    const late = active.slice(cut);
    const a = leader(early);
    const b = leader(late);
    const unit = series === "backbone" ? "backbone mentions" : "studies";
    const e = span(early[0]!.year, early.at(-1)!.year);
    const l = span(late[0]!.year, late.at(-1)!.year);
    // With a single series value (say organ=lung by organ) there is no mix to describe.
    if (new Set(years.flatMap((y) => Object.keys(y.series))).size > 1) {
      sentences.push(
        a.key === b.key
          ? `By ${series}, ${label(series, a.key)} led in both ${e} (${thousands(a.n)} of ${thousands(a.all)} ${unit}) and ${l} (${thousands(b.n)} of ${thousands(b.all)}).`
          : `By ${series}, ${label(series, a.key)} led in ${e} (${thousands(a.n)} of ${thousands(a.all)} ${unit}) and ${label(series, b.key)} led in ${l} (${thousands(b.n)} of ${thousands(b.all)}).`,
      );
    }
    // Asked of the caller (SQL at scale) rather than computed from every value passed in.
    const med = medianBetween;
    const m1 = med(early[0]!.year, early.at(-1)!.year);
    const m2 = med(late[0]!.year, late.at(-1)!.year);
    if (m1 !== null && m2 !== null) {
      const f = (x: number) => formatFigure(x, measure.scale);
      sentences.push(`The median reported ${metricName(measure.metric)} was ${f(m1)} in ${e} and ${f(m2)} in ${l}.`);
    }
  }
  sentences.push(`These figures describe the studies the loaded reviews selected, not the whole field, and their ${metricName(measure.metric)} figures come from different tasks and datasets.`);
  return sentences.join(" ");
}
