import {
  type BackboneCount,
  backboneOrder,
  type GroupBox,
  type Series,
  toBackboneCounts,
  toChartStudy,
  toGroupBoxes,
  toYearCounts,
  type YearCount,
  yearSpan,
} from "../charts.js";
import { formatRange, formatValue, headingUnit, type MetricScale, metricName } from "../metric-text.js";
import { backboneChart, studiesPerYearChart, valueChart } from "../plots.js";
import type { Stats, Study } from "./api.js";
import { byId, h } from "./dom.js";

/**
 * What the three charts are drawn from: three answers of /v1/stats (year × series, organ ×
 * strategy, backbone × strategy) and, only for a small view, its studies (one mark each).
 */
export type ChartData = { years: Stats; values: Stats; backbones: Stats; studies: Study[] | null };

/** The width a chart may use: its slot's width, so the page stays usable at 375 px. */
function widthOf(id: string): number {
  return Math.max(260, Math.min(960, byId(`${id}-plot`).clientWidth || 640));
}

function table(caption: string, head: string[], rows: (string | number)[][]) {
  return h(
    "details",
    { class: "alt" },
    h("summary", {}, "Data table"),
    h(
      "table",
      {},
      h("caption", {}, caption),
      h("thead", {}, h("tr", {}, ...head.map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, ...rows.map((r) => h("tr", {}, ...r.map((c, i) => (i === 0 ? h("th", { scope: "row" }, c) : h("td", {}, c)))))),
    ),
  );
}

function place(id: string, chart: Element, alt: HTMLElement) {
  const slot = byId(`${id}-plot`);
  slot.replaceChildren(chart);
  byId(`${id}-alt`).replaceChildren(alt);
}

/** "accuracy", "AUC (0–1)": the metric with its unit where the figures do not carry one. */
const named = (on: MetricScale) => `${metricName(on.metric)}${headingUnit(on.scale)}`;
const count = (n: number) => n.toLocaleString("en");

/** Draws the three charts; the value chart and its table are on the metric /v1/stats answered for. */
export function renderCharts(data: ChartData, series: Series) {
  const on: MetricScale = { metric: data.values.meta.metric, scale: data.values.meta.scale };
  const studies = data.studies?.map((s) => toChartStudy(s, on.metric)) ?? null;
  const years = toYearCounts(data.years.groups, series);
  const boxes = toGroupBoxes(data.values.groups);
  const backbones = toBackboneCounts(data.backbones.groups);

  place("chart-years", studiesPerYearChart(years, studies, series, { width: widthOf("chart-years") }), yearsTable(years, series));
  byId("chart-values-title").textContent = `Reported ${named(on)} per organ and strategy`;
  byId("chart-years-note").textContent = studies ? "Each block is one study. Hover a block to see which." : "Hover a bar for its count.";
  byId("chart-values-dot-key").hidden = studies === null;
  byId("chart-values-range-key").hidden = studies !== null;
  if (boxes.some((b) => b.n > 0)) {
    // On a wide screen the value chart spans two grid rows: taller rows spread close dots apart.
    const valuesWidth = widthOf("chart-values");
    const rowHeight = window.matchMedia("(min-width: 1000px)").matches ? 30 : 24;
    place("chart-values", valueChart(boxes, studies, on, { width: valuesWidth, rowHeight }), valuesTable(boxes, on));
  } else {
    place("chart-values", h("p", { class: "empty" }, `No study in view reports ${metricName(on.metric)}.`), h("div"));
  }
  place("chart-backbones", backboneChart(backbones, studies, { width: widthOf("chart-backbones") }), backboneTable(backbones));
}

function yearsTable(counts: YearCount[], series: Series) {
  const keys = [...new Set(counts.map((c) => c.series))].sort();
  const rows = yearSpan(counts).map((year) => {
    const inYear = counts.filter((c) => c.year === year);
    const per = keys.map((k) => count(inYear.find((c) => c.series === k)?.count ?? 0));
    return [year, count(inYear.reduce((t, c) => t + c.count, 0)), ...per];
  });
  return table(`Studies per year, by ${series}`, ["Year", "Studies", ...keys], rows);
}

function valuesTable(boxes: GroupBox[], on: MetricScale) {
  const v = (x: number | null) => formatValue(x, on.scale, 2);
  const rows = boxes.map((b) => [
    `${b.organ} · ${b.strategy}`,
    count(b.n),
    v(b.median),
    formatRange(b.q1, b.q3, on.scale, 2, " – "),
    formatRange(b.min, b.max, on.scale, 2, " – "),
  ]);
  return table(`Reported ${named(on)} per organ and strategy (from /v1/stats)`, ["Group", `Studies with ${metricName(on.metric)}`, "Median", "Quartiles", "Range"], rows);
}

function backboneTable(counts: BackboneCount[]) {
  const rows = backboneOrder(counts).map((b) => {
    const using = counts.filter((c) => c.backbone === b);
    return [b, count(using.reduce((t, c) => t + c.count, 0)), using.map((c) => `${c.strategy} ${count(c.count)}`).join(", ")];
  });
  return table("Backbone usage (a study naming two backbones counts for each)", ["Backbone", "Studies", "By strategy"], rows);
}
