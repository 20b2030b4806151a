import { JSDOM } from "jsdom";
import type { BriefChartData } from "../../queries/brief.js";
import { organValueChart, studiesPerYearChart, valueChart } from "../plots.js";

/** More organs than this and the printed value chart pools the strategies: a row per organ. */
export const BRIEF_ORGAN_ROWS = 4;

/** The charts' width in each format: narrow beside the text on the printed page, wider in Markdown. */
export const CHART_WIDTH = { html: 340, markdown: 560 } as const;

export type BriefCharts = ReturnType<typeof briefCharts>;

/** Parts of a rendering done before the whole brief was read (the render worker's early parts). */
export type DrawnParts = { charts?: BriefCharts; references?: string[] };

/**
 * The brief's two main charts, drawn on the server by the same Plot specifications the dashboard
 * uses, into a jsdom document: the brief is plain HTML that prints without running a script.
 */
export function briefCharts(brief: BriefChartData, width: number) {
  const { window } = new JSDOM("");
  try {
    // Small type and rows: both charts and the references share one printed page.
    const options = { width, document: window.document, fontSize: 9, rowHeight: 13 };
    // One mark per study when the brief lists them all (a small scope), else the aggregates alone.
    const studies = brief.studies.length > 0 && brief.studies.length === brief.figures.studies ? brief.studies : null;
    const years = studiesPerYearChart(brief.per_year, studies, "strategy", options);
    // No study in scope reports the metric: no value chart, rather than an empty axis.
    const pooled = brief.organ_spreads.filter((b) => b.n > 0).length > BRIEF_ORGAN_ROWS;
    const values =
      brief.figures.summary.n === 0
        ? null
        : pooled
          ? organValueChart(brief.organ_spreads, brief.scope, options)
          : valueChart(brief.spreads, studies, brief.scope, options);
    return { pooled, years: years.outerHTML, values: values?.outerHTML ?? null, yearsSvg: svgOf(years), valuesSvg: values && svgOf(values) };
  } finally {
    // A window left open keeps its document and timers alive: RSS grew ~15 MB per 1,000 briefs.
    window.close();
  }
}

/** The bare SVG (without Plot's HTML legend), standalone, for a Markdown image. */
function svgOf(chart: Element): string {
  // With a legend Plot wraps the chart in a <figure>; the swatches hold small SVGs of their own.
  const svg = chart.tagName.toLowerCase() === "svg" ? chart : chart.querySelector(":scope > svg");
  if (!svg) return "";
  svg.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  return svg.outerHTML;
}
