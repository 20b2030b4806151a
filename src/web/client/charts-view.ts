import { backboneOrder, backbonePairs, type ChartStudy, type GroupSpread, type Series, toChartStudy, yearSpan } from "../charts.js";
import { formatRange, formatValue, headingUnit, type MetricScale, metricName } from "../metric-text.js";
import { backboneChart, studiesPerYearChart, valueChart } from "../plots.js";
import type { Stats, Study } from "./api.js";
import { byId, h } from "./dom.js";

/** Turns /v1/stats?group_by=organ,strategy into the spreads the value chart marks. */
export function toSpreads(stats: Stats): GroupSpread[] {
  return stats.groups.flatMap((g) => {
    const { median, q1, q3, n } = g.summary;
    if (median === null || q1 === null || q3 === null || g.key.strategy == null) return [];
    return [{ organ: String(g.key.organ), strategy: String(g.key.strategy), n, median, q1, q3 }];
  });
}

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

/** Draws the three charts; the value chart and its table are on the metric /v1/stats answered for. */
export function renderCharts(studies: Study[], stats: Stats, series: Series) {
  const on: MetricScale = { metric: stats.meta.metric, scale: stats.meta.scale };
  const data = studies.map((s) => toChartStudy(s, on.metric));

  place("chart-years", studiesPerYearChart(data, series, { width: widthOf("chart-years") }), yearsTable(data, series));
  byId("chart-values-title").textContent = `Reported ${named(on)} per organ and strategy`;
  if (data.some((s) => s.value !== null)) {
    // On a wide screen the value chart spans two grid rows: taller rows spread close dots apart.
    const valuesWidth = widthOf("chart-values");
    const rowHeight = window.matchMedia("(min-width: 1000px)").matches ? 30 : 24;
    place("chart-values", valueChart(data, toSpreads(stats), on, { width: valuesWidth, rowHeight }), valuesTable(stats, on));
  } else {
    place("chart-values", h("p", { class: "empty" }, `No study in view reports ${metricName(on.metric)}.`), h("div"));
  }
  place("chart-backbones", backboneChart(data, { width: widthOf("chart-backbones") }), backboneTable(data));
}

function yearsTable(data: ChartStudy[], series: Series) {
  const keys = [...new Set(data.map((s) => (series === "strategy" ? (s.strategy ?? "not stated") : s.organ)))].sort();
  const rows = yearSpan(data).map((year) => {
    const inYear = data.filter((s) => s.year === year);
    const per = keys.map((k) => inYear.filter((s) => (series === "strategy" ? (s.strategy ?? "not stated") : s.organ) === k).length);
    return [year, inYear.length, ...per];
  });
  return table(`Studies per year, by ${series}`, ["Year", "Studies", ...keys], rows);
}

function valuesTable(stats: Stats, on: MetricScale) {
  const v = (x: number | null) => formatValue(x, on.scale, 2);
  const rows = stats.groups.map((g) => [
    `${g.key.organ} · ${g.key.strategy ?? "not stated"}`,
    g.summary.n,
    v(g.summary.median),
    formatRange(g.summary.q1, g.summary.q3, on.scale, 2, " – "),
    formatRange(g.summary.min, g.summary.max, on.scale, 2, " – "),
  ]);
  return table(`Reported ${named(on)} per organ and strategy (from /v1/stats)`, ["Group", `Studies with ${metricName(on.metric)}`, "Median", "Quartiles", "Range"], rows);
}

function backboneTable(data: ChartStudy[]) {
  const pairs = backbonePairs(data);
  const rows = backboneOrder(pairs).map((b) => {
    const using = pairs.filter((p) => p.backbone === b);
    return [b, using.length, [...new Set(using.map((p) => p.organ))].join(", ")];
  });
  return table("Backbone usage (a study naming two backbones counts for each)", ["Backbone", "Studies", "Organs"], rows);
}
