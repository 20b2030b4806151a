import { type AccuracyStats, apiUrl, getJson } from "./api.js";
import { h, pct } from "./dom.js";

/** One ranked strategy or backbone, as /v1/recommendations lists it. */
type Ranked = {
  strategy?: string;
  backbone?: string;
  rank?: number;
  count?: number;
  accuracy?: Partial<AccuracyStats>;
  latest_year?: number | null;
  study_ids?: number[];
};
type Caveat = string | { code?: string; message?: string; text?: string };
export type Recommendations = { strategies: Ranked[]; backbones: Ranked[]; caveats: Caveat[] };

const caveatText = (c: Caveat) => (typeof c === "string" ? c : (c.message ?? c.text ?? c.code ?? ""));

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
        ...rows.map((r, i) =>
          h(
            "tr",
            {},
            h("td", {}, r.rank ?? i + 1),
            h("th", { scope: "row" }, r[what] ?? "–"),
            h("td", { title: r.study_ids ? `Studies ${r.study_ids.join(", ")}` : null }, r.count ?? r.study_ids?.length ?? "–"),
            h("td", {}, pct(r.accuracy?.median)),
            h("td", {}, `${pct(r.accuracy?.q1)} – ${pct(r.accuracy?.q3)}`),
            h("td", {}, `${pct(r.accuracy?.min)} – ${pct(r.accuracy?.max)}`),
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
    h("h3", {}, "Caveats"),
    rec.caveats.length
      ? h("ul", { class: "caveats" }, ...rec.caveats.map((c) => h("li", {}, caveatText(c))))
      : h("p", {}, "The API gave no caveats."),
  );
}
