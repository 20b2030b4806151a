import { readFileSync } from "node:fs";
import { apa } from "./citations.js";
import { escapeHtml as e, fig, footerNote, moreReferences, sourceLine, spread, years } from "./format.js";
import { DEFAULT_METRIC, headingUnit, metricName, metricPlural } from "../metric-text.js";
import type { Brief } from "../../queries/brief.js";
import { briefCharts, CHART_WIDTH, type DrawnParts } from "./svg.js";

const STYLES = readFileSync(new URL("./brief.css", import.meta.url), "utf8");

/**
 * The screen-only bar of /brief: choose the organ and the metric (a plain GET form, no script
 * needed) and print. The metric chooser shows only when the data has more than one metric. The
 * print button is wired by /assets/brief.js: the page's Content-Security-Policy allows no inline handler.
 */
export type BriefToolbar = { organs: string[]; metrics?: string[] };

/** The query string of this brief's organ and metric (the metric only when not the default), for its links. */
function scopeQuery(brief: Brief): [string, string][] {
  const out: [string, string][] = [];
  if (brief.scope.organ) out.push(["organ", brief.scope.organ]);
  if (brief.scope.metric !== DEFAULT_METRIC) out.push(["metric", brief.scope.metric]);
  return out;
}

function toolbar(brief: Brief, t: BriefToolbar): string {
  const options = [`<option value="">The whole review</option>`]
    .concat(t.organs.map((o) => `<option value="${e(o)}"${o === brief.scope.organ ? " selected" : ""}>${e(o)}</option>`))
    .join("");
  const metrics = t.metrics ?? [];
  const metric =
    metrics.length > 1
      ? `<label for="brief-metric">Metric<select id="brief-metric" name="metric">${metrics
          .map((m) => `<option value="${e(m)}"${m === brief.scope.metric ? " selected" : ""}>${e(metricName(m))}</option>`)
          .join("")}</select></label>`
      : brief.scope.metric !== DEFAULT_METRIC
        ? `<input type="hidden" name="metric" value="${e(brief.scope.metric)}">`
        : "";
  const query = scopeQuery(brief);
  const dashboard = query.length ? `?${e(new URLSearchParams(query).toString())}` : "";
  const markdown = e(new URLSearchParams([["format", "markdown"], ...query]).toString());
  return `<form class="toolbar" action="/brief" method="get" aria-label="Choose the brief">
<label for="brief-organ">Organ<select id="brief-organ" name="organ">${options}</select></label>
${metric}<button type="submit">Show</button>
<button type="button" class="primary" data-print>Print or save as PDF</button>
<a class="button" href="/${dashboard}">Open the dashboard</a>
<a class="button" href="/v1/brief?${markdown}">Markdown</a>
</form>
<script src="/assets/brief.js" defer></script>`;
}

function keyFigures(brief: Brief): string {
  const f = brief.figures;
  const { metric, scale } = brief.scope;
  const box = (value: string, label: string) => `<div class="figure"><b>${e(value)}</b><span>${e(label)}</span></div>`;
  return `<div class="figures">${[
    box(f.studies.toLocaleString("en"), f.studies === 1 ? "study" : "studies"),
    box(years(f.first_year, f.last_year), "publication years"),
    box(fig(f.summary.median, scale), `median reported ${metricName(metric)}${scale === "fraction" ? ", 0–1 scale" : ""} (${f.summary.n.toLocaleString("en")} ${f.summary.n === 1 ? "study" : "studies"})`),
    box(spread(f.summary.q1, f.summary.q3, scale), `middle half of the ${metricPlural(metric)}`),
  ].join("")}</div>
<p>${f.by_strategy.map((s) => `${e(s.strategy)}: ${s.count.toLocaleString("en")}`).join(" · ")}${f.by_organ.length > 1 ? ` &nbsp;|&nbsp; ${f.by_organ.map((o) => `${e(o.organ)}: ${o.count.toLocaleString("en")}`).join(" · ")}` : ""}</p>`;
}

function comparison(brief: Brief): string {
  const { metric, scale } = brief.scope;
  const rows = brief.strategies
    .map(
      (s) =>
        `<tr><th scope="row">${e(s.strategy)}</th><td class="n">${s.count.toLocaleString("en")}</td><td class="n">${fig(s.median, scale)}</td><td class="n">${spread(s.q1, s.q3, scale)}</td><td class="n">${spread(s.min, s.max, scale)}</td><td class="n">${s.latest_year ?? "–"}</td></tr>`,
    )
    .join("");
  const table = rows
    ? `<table><thead><tr><th scope="col">Strategy</th><th scope="col">Studies</th><th scope="col">Median ${e(metricName(metric))}${headingUnit(scale)}</th><th scope="col">Middle half</th><th scope="col">Range</th><th scope="col">Latest year</th></tr></thead><tbody>${rows}</tbody></table>`
    : "";
  const caveats = brief.caveats.length ? `<ul class="caveats">${brief.caveats.map((c) => `<li>${e(c)}</li>`).join("")}</ul>` : "";
  return `<h2>Which transfer strategy?</h2>${table}${caveats}`;
}

function charts(brief: Brief, drawn: DrawnParts["charts"]): string {
  if (brief.figures.studies === 0) return "";
  const { metric, scale } = brief.scope;
  const c = drawn ?? briefCharts(brief, CHART_WIDTH.html);
  const perStudy = brief.studies.length === brief.figures.studies;
  const key = perStudy && !c.pooled
    ? "Dot: one study · grey bar: middle half of the group · black tick: median · n: studies reporting it."
    : "Grey bar: middle half of the group · thin line: lowest to highest · black tick: median · n: studies reporting it.";
  const values = c.values ? `${c.values}<p class="note">${key}</p>` : `<p class="note">No study in this brief reports ${e(metricName(metric))}.</p>`;
  const per = c.pooled ? "per organ, all strategies together" : "per organ and strategy";
  return `<div class="charts">
<figure><figcaption>Studies per year, by transfer strategy${perStudy ? " (one block per study)" : ""}</figcaption>${c.years}</figure>
<figure><figcaption>Reported ${e(metricName(metric))}${headingUnit(scale)} ${per}</figcaption>${values}</figure>
</div>`;
}

/** "…and N more, in the full export (BibTeX · RIS)", when the brief names only some of the works. */
function more(brief: Brief): string {
  const text = moreReferences(brief);
  if (!text) return "";
  const { bibtex, ris } = brief.reference_export;
  return `<p class="more-refs">${e(text)} (<a href="${e(bibtex)}">BibTeX</a> · <a href="${e(ris)}">RIS</a>).</p>`;
}

/**
 * The brief as a standalone HTML page, printable to one A4 page; `toolbar` adds the screen-only
 * controls of /brief; `drawn` hands in the charts and references already drawn from this brief.
 */
export function briefHtml(brief: Brief, opts: { toolbar?: BriefToolbar; drawn?: DrawnParts } = {}): string {
  const refs = opts.drawn?.references ?? apa(brief.references);
  const body = [
    opts.toolbar ? toolbar(brief, opts.toolbar) : "",
    `<header><h1>${e(brief.scope.title)}</h1><p class="source">Evidence brief from ${e(sourceLine(brief))}</p></header>`,
    brief.figures.studies === 0
      ? `<p class="empty">The review summarises no study for this scope, so there is no evidence to chart or compare.</p>`
      : keyFigures(brief),
    brief.trends.length ? `<h2>Trends</h2><ul>${brief.trends.map((t) => `<li>${e(t)}</li>`).join("")}</ul>` : "",
    comparison(brief),
    charts(brief, opts.drawn?.charts),
    refs.length ? `<h2>References (APA)</h2><ul class="refs">${refs.map((r) => `<li>${e(r)}</li>`).join("")}</ul>${more(brief)}` : "",
    `<footer>${e(footerNote(brief))} Built by litreview from its public query API (/v1/brief).</footer>`,
  ].join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(brief.scope.title)}</title><link rel="icon" href="data:,"><style>${STYLES}</style></head>
<body>${body}</body></html>`;
}
