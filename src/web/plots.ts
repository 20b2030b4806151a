import * as Plot from "@observablehq/plot";
import {
  type BackboneCount,
  type ChartStudy,
  type GroupBox,
  NOT_NAMED,
  type Series,
  STRATEGIES,
  seriesValue,
  studyLabel,
  backboneOrder,
  backbonePairs,
  type YearCount,
  yearSpan,
} from "./charts.js";
import { axisUnit, type MetricScale, metricName } from "./metric-text.js";

/**
 * The chart specifications, drawn with Observable Plot by the dashboard (in the browser) and the
 * brief (on the server, with a jsdom document). Each chart is drawn from the aggregates of
 * /v1/stats (counts per year and series, quartiles per group, counts per backbone), so a view of a
 * million studies costs what a view of ten does. When the view is small (`studies` given, at most
 * DOTS_MAX), the marks are one per study instead, so a reader can count the evidence and hover a
 * mark to see which study it is; the aggregates then describe the same studies.
 */

/** fontSize in px (12 on screen) and rowHeight: the brief prints its charts smaller. */
export type ChartOptions = { width: number; document?: Document; fontSize?: number; rowHeight?: number };

/** Room for the longest tick label, so a label such as "feature-extraction" is never cut off. */
function labelMargin(labels: string[], fontSize: number): number {
  return Math.ceil(Math.max(0, ...labels.map((l) => l.length)) * fontSize * 0.6) + 14;
}

// Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
const STRATEGY_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#999999"];
const ORGANS = ["brain", "heart", "breast", "lung", "kidney"];
const ORGAN_COLOURS = ["#CC79A7", "#D55E00", "#56B4E9", "#009E73", "#F0E442", "#999999"];

function seriesScale(series: Series, values: string[]) {
  const known = series === "strategy" ? [...STRATEGIES] : ORGANS;
  const colours = series === "strategy" ? STRATEGY_COLOURS : ORGAN_COLOURS;
  const extra = [...new Set(values)].filter((v) => !known.includes(v)).sort();
  const domain = [...known.filter((k) => values.includes(k)), ...extra];
  const range = domain.map((d) => colours[known.indexOf(d)] ?? colours[colours.length - 1]!);
  return { domain, range };
}

const count = (n: number) => n.toLocaleString("en");
const sum = (rows: { count: number }[]) => rows.reduce((t, r) => t + r.count, 0);

/** Chart 1: studies per publication year, stacked by series (one block per study in a small view). */
export function studiesPerYearChart(
  counts: YearCount[],
  studies: ChartStudy[] | null,
  series: Series,
  { width, document, fontSize = 12, rowHeight = 24 }: ChartOptions,
) {
  const colour = seriesScale(series, counts.map((c) => c.series));
  const years = yearSpan(counts);
  const top = maxPerYear(counts);
  const bars = studies
    ? Plot.barY(
        studies.filter((s) => s.year !== null),
        { x: "year", y: () => 1, fill: (s: ChartStudy) => seriesValue(s, series), order: colour.domain, stroke: "white", title: studyLabel },
      )
    : Plot.barY(counts, {
        x: "year",
        y: "count",
        fill: "series",
        order: colour.domain,
        title: (c: YearCount) => `${c.year}, ${c.series}: ${count(c.count)} ${c.count === 1 ? "study" : "studies"}`,
      });
  return Plot.plot({
    width,
    height: rowHeight * 10,
    marginLeft: Math.max(44, labelMargin([count(top)], fontSize)),
    document,
    style: { fontSize: `${fontSize}px` },
    // Plot's default bottom margin suits 10px type; at 12px the axis label touches the ticks.
    marginBottom: fontSize * 3 + 4,
    ariaLabel: "Studies per year",
    ariaDescription: describeYears(counts, series, studies !== null),
    x: { type: "band", domain: years, label: "Publication year", tickFormat: (y: number) => String(y), ...yearTicks(years, width) },
    y: { label: "Studies (count)", grid: true, tickFormat: count, ticks: Math.min(6, top) },
    color: { legend: true, ...colour, label: series === "strategy" ? "Transfer strategy" : "Organ" },
    marks: [bars, Plot.ruleY([0])],
  });
}

/** A label every few years when the span is too long for one per band. */
function yearTicks(years: number[], width: number) {
  const every = Math.ceil(years.length / Math.max(1, Math.floor(width / 40)));
  return every > 1 ? { ticks: years.filter((y) => y % every === 0) } : {};
}

function maxPerYear(counts: YearCount[]): number {
  const perYear = new Map<number, number>();
  for (const c of counts) perYear.set(c.year, (perYear.get(c.year) ?? 0) + c.count);
  return Math.max(1, ...perYear.values());
}

function describeYears(counts: YearCount[], series: Series, perStudy: boolean): string {
  const years = yearSpan(counts);
  if (years.length === 0) return "No dated studies.";
  const how = perStudy ? `one block per study, stacked by ${series}` : `stacked by ${series}`;
  return `${count(sum(counts))} studies published from ${years[0]} to ${years[years.length - 1]}, ${how}.`;
}

/**
 * The value axis of a metric: a percent runs up to 100 and a fraction up to 1, from a round step
 * below the lowest value, so a chart of one metric never borrows another's scale; a metric with
 * no known range spans its data.
 */
function valueAxis({ metric, scale }: MetricScale, values: number[]) {
  const label = `Reported ${metricName(metric)}${axisUnit(scale)}`;
  const lowest = values.reduce((m, v) => Math.min(m, v), Number.POSITIVE_INFINITY);
  if (scale === "percent") return { domain: [Math.floor(Math.min(100, lowest) / 5) * 5, 100], label };
  // Steps of 0.05 counted in twentieths, so 0.9 stays 0.9 and not 0.9000000000000001.
  if (scale === "fraction") return { domain: [Math.floor(Math.min(1, lowest) * 20) / 20, 1], label };
  return { domain: undefined, nice: true, label };
}

/**
 * Chart 2: the reported value of the metric in a row per organ and strategy: the group's
 * interquartile range as a grey bar, its median as a black tick and its true n at the row's start.
 * A small view adds one dot per study, so a single low result (lung, 68%) is not hidden inside a
 * spread; a large one draws the lowest to highest value as a thin line instead.
 */
export function valueChart(
  boxes: GroupBox[],
  studies: ChartStudy[] | null,
  on: MetricScale,
  { width, document, fontSize = 12, rowHeight = 24 }: ChartOptions,
) {
  const reported = boxes.filter((b) => b.n > 0);
  const organs = ORGANS.filter((o) => reported.some((b) => b.organ === o));
  organs.push(...[...new Set(reported.map((b) => b.organ))].filter((o) => !organs.includes(o)).sort());
  const colour = seriesScale("strategy", reported.map((b) => b.strategy));
  const spread = reported.filter((b) => b.n > 1 && b.q1 !== null && b.q3 !== null);
  const scored = studies?.filter((s) => s.value !== null) ?? null;
  const values = scored ? scored.map((s) => s.value!) : reported.flatMap((b) => (b.min === null ? [] : [b.min]));
  const narrow = width < 520;
  const where = { fy: "organ", y: "strategy" } as const;
  const marks: Plot.Markish[] = [
    Plot.frame({ strokeOpacity: 0.15 }),
    // Lowest to highest, only without dots: with dots the extremes are the outermost dots.
    scored ? null : Plot.ruleY(reported, { ...where, x1: "min", x2: "max", stroke: "#888", strokeWidth: 1.5 }),
    Plot.ruleY(spread, { ...where, x1: "q1", x2: "q3", stroke: "#888", strokeWidth: 9, strokeOpacity: 0.45 }),
    Plot.tickX(scored ? spread : reported, { ...where, x: "median", stroke: "#111", strokeWidth: 2.5 }),
    scored
      ? Plot.dot(scored, {
          fy: "organ",
          y: (s: ChartStudy) => seriesValue(s, "strategy"),
          x: "value",
          fill: (s: ChartStudy) => seriesValue(s, "strategy"),
          r: 5,
          fillOpacity: 0.85,
          stroke: "white",
          title: studyLabel,
        })
      : null,
    // The true n of every group, dots or not (the spread of 3 studies and of 30,000 look alike),
    // in the margin between the strategy and the frame, where it covers no data.
    Plot.text(reported, {
      ...where,
      frameAnchor: "left",
      textAnchor: "end",
      dx: -4,
      text: (b: GroupBox) => `n=${count(b.n)}`,
      fill: "#555",
      title: (b: GroupBox) => `${b.organ}, ${b.strategy}: ${count(b.n)} of ${count(b.count)} studies report ${metricName(on.metric)}`,
    }),
  ];
  const n = reported.reduce((t, b) => t + b.n, 0);
  const nWidth = labelMargin(reported.map((b) => `n=${count(b.n)}`), fontSize);
  return Plot.plot({
    width,
    // Margins (top, bottom for the axis) come on top of the rows, or one organ's rows collide.
    // No y-axis label sits on top, so the top margin only clears the first row's labels.
    marginTop: fontSize,
    height: fontSize + fontSize * 3 + 4 + organs.length * (colour.domain.length + 0.5) * Math.max(rowHeight, fontSize * 1.5),
    marginLeft: labelMargin(colour.domain, fontSize) + nWidth,
    marginRight: labelMargin(organs, fontSize),
    document,
    style: { fontSize: `${fontSize}px` },
    // Plot's default bottom margin suits 10px type; at 12px the axis label touches the ticks.
    marginBottom: fontSize * 3 + 4,
    ariaLabel: `Reported ${metricName(on.metric)} per organ and strategy`,
    ariaDescription: scored
      ? `${scored.length} studies, one dot each, grouped by organ and transfer strategy; grey bars span the middle half of each group and black ticks mark the median.`
      : `${count(n)} studies in ${reported.length} groups by organ and transfer strategy; grey bars span the middle half of each group, thin lines the lowest to highest value, black ticks mark the median, and n is the number of studies in the group.`,
    x: { ...valueAxis(on, values), grid: true, ticks: narrow ? 4 : 8 },
    // The strategy labels stand left of the n labels.
    y: { domain: colour.domain, label: null, tickSize: 0, tickPadding: nWidth },
    fy: { domain: organs, label: null, padding: 0.15 },
    color: { legend: true, ...colour, label: "Transfer strategy" },
    marks,
  });
}

/**
 * Chart 2 for the printed brief of many organs: one row per organ, all strategies together (the
 * strategy comparison is the table above it), so twelve organs fit a page where twelve times four
 * rows would not. The same marks as valueChart without dots, and n in the right margin.
 */
export function organValueChart(boxes: GroupBox[], on: MetricScale, { width, document, fontSize = 12, rowHeight = 24 }: ChartOptions) {
  const reported = boxes.filter((b) => b.n > 0);
  const organs = [...ORGANS.filter((o) => reported.some((b) => b.organ === o)), ...reported.map((b) => b.organ).filter((o) => !ORGANS.includes(o)).sort()];
  const labels = reported.map((b) => `n=${count(b.n)}`);
  return Plot.plot({
    width,
    marginTop: fontSize,
    height: fontSize + fontSize * 3 + 4 + organs.length * Math.max(rowHeight, fontSize * 1.5),
    marginLeft: labelMargin(organs, fontSize),
    marginRight: labelMargin(labels, fontSize),
    document,
    style: { fontSize: `${fontSize}px` },
    marginBottom: fontSize * 3 + 4,
    ariaLabel: `Reported ${metricName(on.metric)} per organ`,
    ariaDescription: `${count(reported.reduce((t, b) => t + b.n, 0))} studies in ${reported.length} organs, all strategies together; grey bars span the middle half of each organ, thin lines the lowest to highest value, black ticks mark the median, and n is the number of studies.`,
    x: { ...valueAxis(on, reported.flatMap((b) => (b.min === null ? [] : [b.min]))), grid: true, ticks: width < 520 ? 4 : 8 },
    y: { domain: organs, label: null },
    marks: [
      Plot.frame({ strokeOpacity: 0.15 }),
      Plot.ruleY(reported, { y: "organ", x1: "min", x2: "max", stroke: "#888", strokeWidth: 1.5 }),
      Plot.ruleY(reported.filter((b) => b.n > 1), { y: "organ", x1: "q1", x2: "q3", stroke: "#888", strokeWidth: 9, strokeOpacity: 0.45 }),
      Plot.tickX(reported, { y: "organ", x: "median", stroke: "#111", strokeWidth: 2.5 }),
      Plot.text(reported, { y: "organ", frameAnchor: "right", textAnchor: "start", dx: 4, text: (b: GroupBox) => `n=${count(b.n)}`, fill: "#333" }),
    ],
  });
}

/** Chart 3: how often each pre-trained backbone is used, coloured by strategy (one block per study in a small view). */
export function backboneChart(counts: BackboneCount[], studies: ChartStudy[] | null, { width, document, fontSize = 12, rowHeight = 24 }: ChartOptions) {
  const order = backboneOrder(counts);
  const colour = seriesScale("strategy", counts.map((c) => c.strategy));
  const pairs = studies ? backbonePairs(studies) : null;
  const bars = pairs
    ? Plot.barX(pairs, {
        y: "backbone",
        x: () => 1,
        fill: (p: ChartStudy) => seriesValue(p, "strategy"),
        order: colour.domain,
        stroke: "white",
        title: (p: ChartStudy & { backbone: string }) => `${p.backbone}: ${studyLabel(p)}`,
      })
    : Plot.barX(counts, {
        y: "backbone",
        x: "count",
        fill: "strategy",
        order: colour.domain,
        title: (c: BackboneCount) => `${c.backbone}, ${c.strategy}: ${count(c.count)} ${c.count === 1 ? "study" : "studies"}`,
      });
  return Plot.plot({
    width,
    marginTop: fontSize,
    height: fontSize + fontSize * 3 + 4 + order.length * Math.max(rowHeight, fontSize * 1.5),
    marginLeft: labelMargin(order, fontSize),
    marginRight: fontSize * 2,
    document,
    style: { fontSize: `${fontSize}px` },
    // Plot's default bottom margin suits 10px type; at 12px the axis label touches the ticks.
    marginBottom: fontSize * 3 + 4,
    ariaLabel: "Backbone usage",
    ariaDescription: `${order.filter((b) => b !== NOT_NAMED).length} named backbones across the studies in view.`,
    x: { label: "Studies using it (count)", grid: true, tickFormat: count, ticks: width < 520 ? 3 : 5 },
    y: { domain: order, label: null },
    color: { legend: true, ...colour, label: "Transfer strategy" },
    marks: [bars, Plot.ruleX([0])],
  });
}
