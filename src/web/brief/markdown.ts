import type { Brief } from "../../queries/brief.js";
import { escapeMarkdown as md, fig, footerNote, moreReferences, sourceLine, spread, years } from "./format.js";
import { headingUnit, metricName } from "../metric-text.js";
import { briefCharts, CHART_WIDTH, type DrawnParts } from "./svg.js";
import { apa } from "./citations.js";


/** The brief as Markdown; the charts are SVG data URIs, which most Markdown viewers show inline. */
export function briefMarkdown(brief: Brief, drawn: DrawnParts = {}): string {
  const f = brief.figures;
  const { metric, scale } = brief.scope;
  const name = `${metricName(metric)}${headingUnit(scale)}`;
  const out: string[] = [`# ${md(brief.scope.title)}`, ""];
  out.push(`Source: ${md(sourceLine(brief))}`, "");
  out.push("## Key figures", "");
  out.push(`- **${f.studies.toLocaleString("en")}** ${f.studies === 1 ? "study" : "studies"}, published ${years(f.first_year, f.last_year)}`);
  if (f.summary.n > 0) {
    out.push(
      `- Median reported ${name} **${fig(f.summary.median, scale)}** (middle half ${spread(f.summary.q1, f.summary.q3, scale)}, range ${spread(f.summary.min, f.summary.max, scale)}; ${f.summary.n.toLocaleString("en")} ${f.summary.n === 1 ? "study reports" : "studies report"} it)`,
    );
  }
  if (f.by_strategy.length) out.push(`- Strategies: ${f.by_strategy.map((s) => `${md(s.strategy)} ${s.count.toLocaleString("en")}`).join(", ")}`);
  if (f.by_organ.length > 1) out.push(`- Organs: ${f.by_organ.map((o) => `${md(o.organ)} ${o.count.toLocaleString("en")}`).join(", ")}`);
  out.push("");
  if (brief.trends.length) out.push("## Trends", "", ...brief.trends.map((t) => `- ${md(t)}`), "");
  out.push("## Which transfer strategy?", "");
  if (brief.strategies.length) {
    out.push(`| Strategy | Studies | Median ${md(name)} | Middle half | Range | Latest year |`, "|---|---:|---:|---:|---:|---:|");
    for (const s of brief.strategies) {
      out.push(`| ${md(s.strategy)} | ${s.count.toLocaleString("en")} | ${fig(s.median, scale)} | ${spread(s.q1, s.q3, scale)} | ${spread(s.min, s.max, scale)} | ${s.latest_year ?? "–"} |`);
    }
    out.push("");
  }
  if (brief.caveats.length) out.push("**Caveats**", "", ...brief.caveats.map((c) => `- ${md(c)}`), "");
  if (f.studies > 0) {
    const charts = drawn.charts ?? briefCharts(brief, CHART_WIDTH.markdown);
    const uri = (svg: string) => `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
    out.push("## Charts", "");
    out.push(`![Studies per year, stacked by transfer strategy](${uri(charts.yearsSvg)})`, "");
    if (charts.valuesSvg) {
      const per = charts.pooled ? "per organ, all strategies together" : "per organ and strategy";
      const dots = brief.studies.length === f.studies && !charts.pooled ? "one dot per study" : "thin line lowest to highest";
      out.push(`![Reported ${name} ${per}: ${dots}, grey bar the middle half, black tick the median, n the studies reporting it](${uri(charts.valuesSvg)})`, "");
    } else {
      out.push(`No study in this brief reports ${metricName(metric)}.`, "");
    }
  }
  const refs = drawn.references ?? apa(brief.references);
  if (refs.length) out.push("## References (APA)", "", ...refs.map((r) => `- ${md(r)}`), "");
  const more = moreReferences(brief);
  if (more) out.push(`${md(more)}: [BibTeX](${brief.reference_export.bibtex}), [RIS](${brief.reference_export.ris}).`, "");
  out.push(`_${footerNote(brief)}_`, "");
  return `${out.join("\n").trimEnd()}\n`;
}
