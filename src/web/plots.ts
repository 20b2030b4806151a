import * as Plot from "@observablehq/plot";
import {
  type ChartStudy,
  type GroupSpread,
  NOT_NAMED,
  type Series,
  STRATEGIES,
  seriesValue,
  studyLabel,
  backboneOrder,
  backbonePairs,
  yearSpan,
} from "./charts.js";
import { axisUnit, type MetricScale, metricName } from "./metric-text.js";

/**
 * The chart specifications, drawn with Observable Plot by the dashboard (in the browser) and the
 * brief (on the server, with a jsdom document). Every chart draws one mark per study (or per study
 * and backbone), never a pre-aggregated bar, so a reader can count the evidence and hover a mark
 * to see which study it is.
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

/** Chart 1: studies per publication year, one stacked block per study, coloured by series. */
export function studiesPerYearChart(studies: ChartStudy[], series: Series, { width, document, fontSize = 12, rowHeight = 24 }: ChartOptions) {
  const dated = studies.filter((s) => s.year !== null);
  const colour = seriesScale(series, dated.map((s) => seriesValue(s, series)));
  const years = yearSpan(dated);
  return Plot.plot({
    width,
    height: rowHeight * 10,
    marginLeft: 44,
    document,
    style: { fontSize: `${fontSize}px` },
    // Plot's default bottom margin suits 10px type; at 12px the axis label touches the ticks.
    marginBottom: fontSize * 3 + 4,
    ariaLabel: "Studies per year",
    ariaDescription: describeYears(dated, series),
    x: { type: "band", domain: years, label: "Publication year", tickFormat: (y: number) => String(y) },
    y: { label: "Studies (count)", grid: true, tickFormat: "d", ticks: Math.min(6, maxPerYear(dated)) },
    color: { legend: true, ...colour, label: series === "strategy" ? "Transfer strategy" : "Organ" },
    marks: [
      Plot.barY(dated, {
        x: "year",
        y: () => 1,
        fill: (s: ChartStudy) => seriesValue(s, series),
        order: colour.domain,
        stroke: "white",
        title: studyLabel,
      }),
      Plot.ruleY([0]),
    ],
  });
}

function maxPerYear(studies: ChartStudy[]): number {
  const counts = new Map<number, number>();
  for (const s of studies) counts.set(s.year!, (counts.get(s.year!) ?? 0) + 1);
  return Math.max(1, ...counts.values());
}

function describeYears(studies: ChartStudy[], series: Series): string {
  const years = yearSpan(studies);
  if (years.length === 0) return "No dated studies.";
  return `${studies.length} studies published from ${years[0]} to ${years[years.length - 1]}, stacked by ${series}.`;
}

/**
 * The value axis of a metric: a percent runs up to 100 and a fraction up to 1, from a round step
 * below the lowest value, so a chart of one metric never borrows another's scale; a metric with
 * no known range spans its data.
 */
function valueAxis({ metric, scale }: MetricScale, values: number[]) {
  const label = `Reported ${metricName(metric)}${axisUnit(scale)}`;
  if (scale === "percent") return { domain: [Math.floor(Math.min(100, ...values) / 5) * 5, 100], label };
  // Steps of 0.05 counted in twentieths, so 0.9 stays 0.9 and not 0.9000000000000001.
  if (scale === "fraction") return { domain: [Math.floor(Math.min(1, ...values) * 20) / 20, 1], label };
  return { domain: undefined, nice: true, label };
}

/**
 * Chart 2: one dot per study's reported value of the metric, in a row per organ and strategy,
 * with the group's interquartile range as a grey bar and its median as a black tick: the spread
 * stays visible, and a single low result (lung, 68%) is not hidden inside an average.
 */
export function valueChart(
  studies: ChartStudy[],
  spreads: GroupSpread[],
  on: MetricScale,
  { width, document, fontSize = 12, rowHeight = 24 }: ChartOptions,
) {
  const scored = studies.filter((s) => s.value !== null);
  const organs = ORGANS.filter((o) => scored.some((s) => s.organ === o));
  organs.push(...[...new Set(scored.map((s) => s.organ))].filter((o) => !organs.includes(o)).sort());
  const colour = seriesScale("strategy", scored.map((s) => seriesValue(s, "strategy")));
  const shown = spreads.filter((g) => organs.includes(g.organ) && g.n > 1);
  const narrow = width < 520;
  return Plot.plot({
    width,
    // Margins (top, bottom for the axis) come on top of the rows, or one organ's rows collide.
    // No y-axis label sits on top, so the top margin only clears the first row's labels.
    marginTop: fontSize,
    height: fontSize + fontSize * 3 + 4 + organs.length * (colour.domain.length + 0.5) * Math.max(rowHeight, fontSize * 1.5),
    marginLeft: labelMargin(colour.domain, fontSize),
    marginRight: labelMargin(organs, fontSize),
    document,
    style: { fontSize: `${fontSize}px` },
    // Plot's default bottom margin suits 10px type; at 12px the axis label touches the ticks.
    marginBottom: fontSize * 3 + 4,
    ariaLabel: `Reported ${metricName(on.metric)} per organ and strategy`,
    ariaDescription: `${scored.length} studies, one dot each, grouped by organ and transfer strategy; grey bars span the middle half of each group and black ticks mark the median.`,
    x: { ...valueAxis(on, scored.map((s) => s.value!)), grid: true, ticks: narrow ? 4 : 8 },
    y: { domain: colour.domain, label: null },
    fy: { domain: organs, label: null, padding: 0.15 },
    color: { legend: true, ...colour, label: "Transfer strategy" },
    marks: [
      Plot.frame({ strokeOpacity: 0.15 }),
      Plot.ruleY(shown, { fy: "organ", y: "strategy", x1: "q1", x2: "q3", stroke: "#888", strokeWidth: 9, strokeOpacity: 0.45 }),
      Plot.tickX(shown, { fy: "organ", y: "strategy", x: "median", stroke: "#111", strokeWidth: 2.5 }),
      Plot.dot(scored, {
        fy: "organ",
        y: (s: ChartStudy) => seriesValue(s, "strategy"),
        x: "value",
        fill: (s: ChartStudy) => seriesValue(s, "strategy"),
        r: 5,
        fillOpacity: 0.85,
        stroke: "white",
        title: studyLabel,
      }),
    ],
  });
}

/** Chart 3: how often each pre-trained backbone is used, one block per study, coloured by strategy. */
export function backboneChart(studies: ChartStudy[], { width, document, fontSize = 12, rowHeight = 24 }: ChartOptions) {
  const pairs = backbonePairs(studies);
  const order = backboneOrder(pairs);
  const colour = seriesScale("strategy", pairs.map((p) => seriesValue(p, "strategy")));
  return Plot.plot({
    width,
    marginTop: fontSize,
    height: fontSize + fontSize * 3 + 4 + order.length * Math.max(rowHeight, fontSize * 1.5),
    marginLeft: labelMargin(order, fontSize),
    document,
    style: { fontSize: `${fontSize}px` },
    // Plot's default bottom margin suits 10px type; at 12px the axis label touches the ticks.
    marginBottom: fontSize * 3 + 4,
    ariaLabel: "Backbone usage",
    ariaDescription: `${order.filter((b) => b !== NOT_NAMED).length} named backbones across ${studies.length} studies.`,
    x: { label: "Studies using it (count)", grid: true, tickFormat: "d", ticks: 5 },
    y: { domain: order, label: null },
    color: { legend: true, ...colour, label: "Transfer strategy" },
    marks: [
      Plot.barX(pairs, {
        y: "backbone",
        x: () => 1,
        fill: (p: ChartStudy) => seriesValue(p, "strategy"),
        order: colour.domain,
        stroke: "white",
        title: (p: ChartStudy & { backbone: string }) => `${p.backbone}: ${studyLabel(p)}`,
      }),
      Plot.ruleX([0]),
    ],
  });
}
