import { DEFAULT_METRIC, headingUnit, type MetricScale, metricTitle, resultText } from "../metric-text.js";
import { apiUrl, getJson, type Reference as Work, type Study } from "./api.js";
import { h } from "./dom.js";

// The API sorts by year, organ and accuracy only (src/queries/study-order.ts): the value column
// is a sort button while it shows accuracy, and a plain heading for any other metric.
const SORTABLE = ["organ", "year", "accuracy"];

/** Header cell; the sortable columns are buttons that flip the API's sort. */
function headerCell(key: string, label: string, sort: string, onSort: (s: string) => void) {
  if (!SORTABLE.includes(key)) return h("th", { scope: "col" }, label);
  const active = sort.replace(/^-/, "") === key;
  const descending = sort.startsWith("-");
  const next = active && !descending ? `-${key}` : key;
  const button = h(
    "button",
    { type: "button", class: "sort", "data-sort": next, title: `Sort by ${label.toLowerCase()}` },
    label,
    active ? (descending ? " ↓" : " ↑") : "",
  );
  button.addEventListener("click", () => onSort(next));
  return h("th", { scope: "col", "aria-sort": active ? (descending ? "descending" : "ascending") : "none" }, button);
}

/** The table of one page of studies; its value column shows each study's result for `on.metric`. */
export function renderTable(tbody: HTMLElement, thead: HTMLElement, studies: Study[], sort: string, on: MetricScale, onSort: (s: string) => void) {
  const { metric, scale } = on;
  const valueLabel = `${metricTitle(metric)}${headingUnit(scale)}`;
  const columns: [string, string][] = [
    ["condition", "Condition"],
    ["organ", "Organ"],
    ["year", "Year"],
    ["method", "Method as printed"],
    [metric === DEFAULT_METRIC ? "accuracy" : "value", valueLabel],
    ["source", "In the review"],
    ["work", "Cited work"],
  ];
  thead.replaceChildren(h("tr", {}, ...columns.map(([k, l]) => headerCell(k, l, sort, onSort))));
  tbody.replaceChildren(...studies.map((s) => row(s, metric, valueLabel)));
}

function row(s: Study, metric: string, valueLabel: string) {
  const cell = (label: string, ...content: (Node | string | null)[]) => h("td", { "data-label": label }, ...content);
  return h(
    "tr",
    { "data-study-id": s.id },
    h("th", { scope: "row", "data-label": "Condition" }, s.condition),
    cell("Organ", s.organ),
    cell("Year", String(s.year ?? "–")),
    cell(
      "Method as printed",
      s.method_text,
      h("br"),
      h("small", {}, `${s.strategy ?? "strategy not stated"}${s.backbones.length ? ` · ${s.backbones.join(", ")}` : ""}`),
    ),
    cell(valueLabel, resultText(s.results.find((r) => r.metric === metric), 2) ?? "not reported"),
    cell("In the review", `${s.source.table}, row ${s.source.row}`),
    cell("Cited work", workDetails(s)),
  );
}

/** The cited work (with every number it is printed under) is fetched only when a reader opens it. */
function workDetails(s: Study) {
  const body = h("div", { class: "work" }, "Loading…");
  const details = h(
    "details",
    {},
    h("summary", {}, `Reference ${s.citation.printed}${s.citation.status === "uncertain" ? " (uncertain link)" : ""}`),
    body,
  );
  let loaded = false;
  details.addEventListener("toggle", async () => {
    if (!details.open || loaded) return;
    loaded = true;
    try {
      const id = s.citation?.reference_id;
      const work = id == null ? null : (await getJson<{ result: Work }>(apiUrl(`/v1/references/${id}`, {}))).result;
      body.replaceChildren(...describeWork(work, s));
    } catch (err) {
      loaded = false;
      body.replaceChildren(`Could not load the work: ${(err as Error).message}`);
    }
  });
  return details;
}

function describeWork(work: Work | null, s: Study): (Node | string)[] {
  const link = h("a", { href: `/v1/studies/${s.id}` }, "study and work as JSON");
  if (!work) return ["The review's citation could not be linked to an entry of its reference list. ", link];
  const where = [work.venue, work.volume && `vol. ${work.volume}`, work.issue && `(${work.issue})`, work.pages && `pp. ${work.pages}`]
    .filter(Boolean)
    .join(" ");
  const numbers = (work.printed_numbers ?? []).filter((n) => n !== null);
  return [
    h("p", {}, h("strong", {}, work.title ?? "untitled")),
    h("p", {}, `${(work.authors ?? []).join(", ")}${work.year ? ` (${work.year})` : ""}`),
    where ? h("p", {}, where) : "",
    h(
      "p",
      {},
      `Printed as ${numbers.length ? numbers.map((n) => `[${n}]`).join(", ") : "an unnumbered entry"} in the reference list; link confidence ${s.citation.confidence}${s.citation.status === "uncertain" ? ` (uncertain: ${s.citation.reason ?? "no reason recorded"})` : ""}. `,
      link,
    ),
  ];
}
