import { apiUrl, getJson, type Recommendations } from "./api.js";
import { h, pct } from "./dom.js";

type Ranked = Recommendations["strategies"][number];

export async function loadRecommendations(domain: string, signal: AbortSignal): Promise<Recommendations> {
  const [kind, ...rest] = domain.split(":");
  const value = rest.join(":");
  return getJson<Recommendations>(apiUrl("/v1/recommendations", { [kind === "condition" ? "condition" : "organ"]: value }), signal);
}

function rankedTable(caption: string, what: "strategy" | "backbone", rows: Ranked[]) {
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
        h("tr", {}, ...["#", what === "strategy" ? "Strategy" : "Backbone", "Studies", "Median accuracy", "Spread (quartiles)", "Range", "Latest year"].map((c) => h("th", { scope: "col" }, c))),
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
            h("td", {}, pct(r.summary.median)),
            h("td", {}, `${pct(r.summary.q1)} – ${pct(r.summary.q3)}`),
            h("td", {}, `${pct(r.summary.min)} – ${pct(r.summary.max)}`),
            h("td", {}, r.latest_year ?? "–"),
          ),
        ),
      ),
    ),
  );
}

export function renderRecommendations(target: HTMLElement, domain: string, rec: Recommendations) {
  const label = domain.replace(":", " ");
  target.replaceChildren(
    rankedTable(`Transfer strategies for ${label}, ranked by the evidence`, "strategy", rec.strategies),
    rankedTable(`Backbones for ${label}`, "backbone", rec.backbones),
    rec.meta.ranking_rule ? h("p", { class: "note" }, `How they are ranked: ${rec.meta.ranking_rule}`) : "",
    h("h3", {}, "Caveats"),
    rec.caveats.length ? h("ul", { class: "caveats" }, ...rec.caveats.map((c) => h("li", {}, c))) : h("p", {}, "The API gave no caveats."),
  );
}
