import { formatRange, formatValue, headingUnit, type MetricScale, metricName } from "../metric-text.js";
import { apiUrl, getJson, type Recommendations } from "./api.js";
import { h } from "./dom.js";

type Ranked = Recommendations["strategies"][number];

/** `metric` undefined: the API's default (accuracy). */
/** The evidence for a domain, within the review in view when one is picked (the panel answers for the same studies as the charts). */
export async function loadRecommendations(domain: string, metric: string | undefined, review: string | undefined, signal: AbortSignal): Promise<Recommendations> {
  const [kind, ...rest] = domain.split(":");
  const value = rest.join(":");
  return getJson<Recommendations>(apiUrl("/v1/recommendations", { [kind === "condition" ? "condition" : "organ"]: value, metric, review }), signal);
}

function rankedTable(caption: string, what: "strategy" | "backbone", rows: Ranked[], on: MetricScale) {
  const v = (x: number | null) => formatValue(x, on.scale, 2);
  if (rows.length === 0) return h("p", { class: "empty" }, `No ${what === "strategy" ? "strategies" : "backbones"} to rank: no studies.`);
  return h(
    "div",
    { class: "scroll" },
    h(
      "table",
      { class: "ranked" },
      h("caption", {}, caption),
      h(
        "thead",
        {},
        h("tr", {}, ...["#", what === "strategy" ? "Strategy" : "Backbone", "Studies", `Median ${metricName(on.metric)}${headingUnit(on.scale)}`, "Spread (quartiles)", "Range", "Latest year"].map((c) => h("th", { scope: "col" }, c))),
      ),
      h(
        "tbody",
        {},
        ...rows.map((r) =>
          h(
            "tr",
            {},
            h("td", {}, r.rank),
            h("th", { scope: "row" }, r.name, r.thin_evidence ? h("small", { class: "thin" }, " (thin evidence)") : null),
            h("td", { title: `Studies ${r.study_ids.join(", ")}` }, r.n),
            h("td", {}, v(r.summary.median)),
            h("td", {}, formatRange(r.summary.q1, r.summary.q3, on.scale, 2, " – ")),
            h("td", {}, formatRange(r.summary.min, r.summary.max, on.scale, 2, " – ")),
            h("td", {}, r.latest_year ?? "–"),
          ),
        ),
      ),
    ),
  );
}

export function renderRecommendations(target: HTMLElement, domain: string, rec: Recommendations) {
  const label = domain.replace(":", " ");
  const on: MetricScale = { metric: rec.meta.metric, scale: rec.meta.scale };
  target.replaceChildren(
    rankedTable(`Transfer strategies for ${label}, ranked by the evidence`, "strategy", rec.strategies, on),
    rankedTable(`Backbones for ${label}`, "backbone", rec.backbones, on),
    rec.meta.ranking_rule ? h("p", { class: "note" }, `How they are ranked: ${rec.meta.ranking_rule}`) : "",
    h("h3", {}, "Caveats"),
    rec.caveats.length ? h("ul", { class: "caveats" }, ...rec.caveats.map((c) => h("li", {}, c))) : h("p", {}, "The API gave no caveats."),
  );
}
