import { backboneOrder, backbonePairs, type ChartStudy, type GroupSpread, type Series, toChartStudy, yearSpan } from "../charts.js";
import { accuracyChart, backboneChart, studiesPerYearChart } from "../plots.js";
import type { Stats, Study } from "./api.js";
import { byId, h, pct } from "./dom.js";


/** Turns /v1/stats?group_by=organ,strategy into the spreads the accuracy chart marks. */
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

export function renderCharts(studies: Study[], stats: Stats, series: Series) {
  const data = studies.map((s) => toChartStudy(s));

  place("chart-years", studiesPerYearChart(data, series, { width: widthOf("chart-years") }), yearsTable(data, series));
  // On a wide screen the accuracy chart spans two grid rows: taller rows spread close dots apart.
  const accuracyWidth = widthOf("chart-accuracy");
  const rowHeight = window.matchMedia("(min-width: 1000px)").matches ? 30 : 24;
  place("chart-accuracy", accuracyChart(data, toSpreads(stats), { width: accuracyWidth, rowHeight }), accuracyTable(stats));
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

function accuracyTable(stats: Stats) {
  const rows = stats.groups.map((g) => [
    `${g.key.organ} · ${g.key.strategy ?? "not stated"}`,
    g.summary.n,
    pct(g.summary.median),
    `${pct(g.summary.q1)} – ${pct(g.summary.q3)}`,
    `${pct(g.summary.min)} – ${pct(g.summary.max)}`,
  ]);
  return table("Reported accuracy per organ and strategy (from /v1/stats)", ["Group", "Studies with accuracy", "Median", "Quartiles", "Range"], rows);
}

function backboneTable(data: ChartStudy[]) {
  const pairs = backbonePairs(data);
  const rows = backboneOrder(pairs).map((b) => {
    const using = pairs.filter((p) => p.backbone === b);
    return [b, using.length, [...new Set(using.map((p) => p.organ))].join(", ")];
  });
  return table("Backbone usage (a study naming two backbones counts for each)", ["Backbone", "Studies", "Organs"], rows);
}
