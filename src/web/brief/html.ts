import { readFileSync } from "node:fs";
import { apa } from "./citations.js";
import { escapeHtml as e, pct, spread, years } from "./format.js";
import type { Brief } from "../../queries/brief.js";
import { briefCharts } from "./svg.js";

const STYLES = readFileSync(new URL("./brief.css", import.meta.url), "utf8");

/**
 * The screen-only bar of /brief: choose the organ (a plain GET form, no script needed) and print.
 * The print button is wired by /assets/brief.js: the page's Content-Security-Policy allows no inline handler.
 */
export type BriefToolbar = { organs: string[] };

function toolbar(brief: Brief, t: BriefToolbar): string {
  const options = [`<option value="">The whole review</option>`]
    .concat(t.organs.map((o) => `<option value="${e(o)}"${o === brief.scope.organ ? " selected" : ""}>${e(o)}</option>`))
    .join("");
  return `<form class="toolbar" action="/brief" method="get" aria-label="Choose the brief">
<label for="brief-organ">Organ<select id="brief-organ" name="organ">${options}</select></label>
<button type="submit">Show</button>
<button type="button" class="primary" data-print>Print or save as PDF</button>
<a class="button" href="/${brief.scope.organ ? `?organ=${encodeURIComponent(brief.scope.organ)}` : ""}">Open the dashboard</a>
<a class="button" href="/v1/brief?format=markdown${brief.scope.organ ? `&amp;organ=${encodeURIComponent(brief.scope.organ)}` : ""}">Markdown</a>
</form>
<script src="/assets/brief.js" defer></script>`;
}

function keyFigures(brief: Brief): string {
  const f = brief.figures;
  const box = (value: string, label: string) => `<div class="figure"><b>${e(value)}</b><span>${e(label)}</span></div>`;
  return `<div class="figures">${[
    box(String(f.studies), f.studies === 1 ? "study" : "studies"),
    box(years(f.first_year, f.last_year), "publication years"),
    box(pct(f.accuracy.median), `median reported accuracy (${f.accuracy.n} studies)`),
    box(spread(f.accuracy.q1, f.accuracy.q3), "middle half of the accuracies"),
  ].join("")}</div>
<p>${f.by_strategy.map((s) => `${e(s.strategy)}: ${s.count}`).join(" · ")}${f.by_organ.length > 1 ? ` &nbsp;|&nbsp; ${f.by_organ.map((o) => `${e(o.organ)}: ${o.count}`).join(" · ")}` : ""}</p>`;
}

function comparison(brief: Brief): string {
  const rows = brief.strategies
    .map(
      (s) =>
        `<tr><th scope="row">${e(s.strategy)}</th><td class="n">${s.count}</td><td class="n">${pct(s.median)}</td><td class="n">${spread(s.q1, s.q3)}</td><td class="n">${pct(s.min)}–${pct(s.max)}</td><td class="n">${s.latest_year ?? "–"}</td></tr>`,
    )
    .join("");
  const table = rows
    ? `<table><thead><tr><th scope="col">Strategy</th><th scope="col">Studies</th><th scope="col">Median accuracy</th><th scope="col">Middle half</th><th scope="col">Range</th><th scope="col">Latest year</th></tr></thead><tbody>${rows}</tbody></table>`
    : "";
  const caveats = brief.caveats.length ? `<ul class="caveats">${brief.caveats.map((c) => `<li>${e(c)}</li>`).join("")}</ul>` : "";
  return `<h2>Which transfer strategy?</h2>${table}${caveats}`;
}

function charts(brief: Brief): string {
  if (brief.studies.length === 0) return "";
  const c = briefCharts(brief.studies, brief.spreads);
  return `<div class="charts">
<figure><figcaption>Studies per year, by transfer strategy (one block per study)</figcaption>${c.years}</figure>
<figure><figcaption>Reported accuracy per organ and strategy</figcaption>${c.accuracy}<p class="note">Dot: one study · grey bar: middle half of the group · black tick: median.</p></figure>
</div>`;
}

/** The brief as a standalone HTML page, printable to one A4 page; `toolbar` adds the screen-only controls of /brief. */
export function briefHtml(brief: Brief, opts: { toolbar?: BriefToolbar } = {}): string {
  const refs = apa(brief.references);
  const body = [
    opts.toolbar ? toolbar(brief, opts.toolbar) : "",
    `<header><h1>${e(brief.scope.title)}</h1><p class="source">Evidence brief from ${brief.source.map((s) => e(s.citation)).join("; ")}</p></header>`,
    brief.figures.studies === 0
      ? `<p class="empty">The review summarises no study for this scope, so there is no evidence to chart or compare.</p>`
      : keyFigures(brief),
    brief.trends.length ? `<h2>Trends</h2><ul>${brief.trends.map((t) => `<li>${e(t)}</li>`).join("")}</ul>` : "",
    comparison(brief),
    charts(brief),
    refs.length ? `<h2>References (APA)</h2><ul class="refs">${refs.map((r) => `<li>${e(r)}</li>`).join("")}</ul>` : "",
    `<footer>Accuracies as printed in the review; a range counts by its midpoint. Built by litreview from its public query API (/v1/brief).</footer>`,
  ].join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(brief.scope.title)}</title><link rel="icon" href="data:,"><style>${STYLES}</style></head>
<body>${body}</body></html>`;
}
