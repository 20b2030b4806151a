import { DEFAULT_METRIC, metricName } from "../metric-text.js";
import { apiUrl, getJson, type Stats } from "./api.js";
import { byId, h } from "./dom.js";
import { FILTER_KEYS, readState, type ViewState } from "./state.js";

type Metrics = { results: { metric: string; results: number }[] };

/**
 * The metric chooser, from /v1/metrics. With accuracy alone there is nothing to choose, and the
 * page stays as it was; a failure leaves accuracy (the API's default) the only choice.
 */
async function fillMetrics(state: ViewState) {
  const { results } = await getJson<Metrics>(apiUrl("/v1/metrics", {})).catch(() => ({ results: [] }) as Metrics);
  const select = byId<HTMLSelectElement>("f-metric");
  if (results.length) select.replaceChildren(...results.map((m) => h("option", { value: m.metric }, `${metricName(m.metric)} (${m.results})`)));
  byId("metric-field").hidden = results.length < 2 && state.metric === DEFAULT_METRIC;
}

/** The values a filter can take, with their study counts, from /v1/stats over the whole review. */
async function groups(key: string): Promise<{ value: string; count: number }[]> {
  const stats = await getJson<Stats>(apiUrl("/v1/stats", { group_by: key }));
  return stats.groups
    .filter((g) => g.key[key] !== null && g.key[key] !== undefined)
    .map((g) => ({ value: String(g.key[key]), count: g.count }));
}

function fill(select: HTMLSelectElement, options: { value: string; count: number }[]) {
  const first = select.options[0];
  select.replaceChildren(...(first ? [first] : []), ...options.map((o) => h("option", { value: o.value }, `${o.value} (${o.count})`)));
}

type Review = { id: string; title: string; citation: string; studies: number };

/** The loaded reviews (from /v1/reviews), for the review control and the header; empty until read. */
let reviews: Review[] = [];
export const reviewCount = () => reviews.length;

/**
 * The review control: a select of every review with its study count, and a search box that narrows
 * the select to the titles containing its words. With one review there is nothing to choose, and
 * the page stays as it was.
 */
function fillReviews(list: Review[]) {
  reviews = list;
  const select = byId<HTMLSelectElement>("f-review");
  const total = list.reduce((t, r) => t + r.studies, 0);
  select.replaceChildren(
    h("option", { value: "" }, `All ${list.length} reviews (${total.toLocaleString("en")})`),
    ...list.map((r) => h("option", { value: r.id, title: r.citation }, `${r.title} (${r.studies.toLocaleString("en")})`)),
  );
  byId("review-field").hidden = list.length < 2;
  const find = byId<HTMLInputElement>("f-review-find");
  find.addEventListener("input", () => {
    const words = find.value.toLowerCase().split(/\s+/).filter(Boolean);
    for (const option of [...select.options].slice(1)) {
      const text = option.textContent!.toLowerCase();
      option.hidden = !words.every((w) => text.includes(w)) && option.value !== select.value;
    }
  });
}

/**
 * Names the review(s) in view in the header, from /v1/reviews, so the page never hard-codes them:
 * the one review's title, or "101 reviews · 1,000,024 studies" rather than a paragraph of titles.
 */
export function showSource(state: ViewState) {
  const one = state.filters.review ? reviews.find((r) => r.id === state.filters.review) : reviews.length === 1 ? reviews[0] : undefined;
  if (one) {
    byId("source").replaceChildren(h("cite", { title: one.citation }, one.title));
  } else if (reviews.length > 1) {
    const total = reviews.reduce((t, r) => t + r.studies, 0);
    byId("source").replaceChildren(h("strong", {}, `${reviews.length} reviews`), ` · ${total.toLocaleString("en")} studies`);
  }
}

export async function populateOptions(form: HTMLFormElement, state: ViewState) {
  // The review list and the source line are a courtesy, not awaited: the charts do not wait for
  // them, and if they fail the page keeps its generic wording.
  void getJson<{ results: Review[] }>(apiUrl("/v1/reviews", {})).then(
    (r) => {
      fillReviews(r.results);
      // The view may have moved on while the list loaded: the URL is its state now.
      const now = readState(location.search);
      syncForm(form, now);
      showSource(now);
    },
    () => undefined,
  );
  const [[organs, backbones, modalities, conditions, years]] = await Promise.all([
    Promise.all(["organ", "backbone", "modality", "condition", "year"].map(groups)),
    fillMetrics(state),
  ]);
  fill(form.elements.namedItem("organ") as HTMLSelectElement, organs!);
  fill(form.elements.namedItem("backbone") as HTMLSelectElement, backbones!.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)));
  fill(form.elements.namedItem("modality") as HTMLSelectElement, modalities!);
  const span = years!.map((y) => Number(y.value)).filter(Number.isFinite);
  for (const name of ["year_from", "year_to"]) {
    const input = form.elements.namedItem(name) as HTMLInputElement;
    if (span.length) {
      input.min = String(Math.min(...span));
      input.max = String(Math.max(...span));
      input.placeholder = name === "year_from" ? input.min : input.max;
    }
  }
  const domain = byId<HTMLSelectElement>("domain");
  domain.append(
    h("optgroup", { label: "Organs" }, ...organs!.map((o) => h("option", { value: `organ:${o.value}` }, `${o.value} (${o.count})`))),
    h("optgroup", { label: "Conditions" }, ...conditions!.map((o) => h("option", { value: `condition:${o.value}` }, `${o.value} (${o.count})`))),
  );
  syncForm(form, state);
}

/** Makes the form show the state (after a reload or Back), adding an option the lists lack. */
export function syncForm(form: HTMLFormElement, state: ViewState) {
  for (const k of FILTER_KEYS) {
    const el = form.elements.namedItem(k) as HTMLInputElement | HTMLSelectElement | null;
    if (!el) continue;
    const value = state.filters[k] ?? "";
    if (el instanceof HTMLSelectElement && value && ![...el.options].some((o) => o.value === value)) {
      el.append(h("option", { value }, `${value} (0)`));
    }
    el.value = value;
  }
  const metric = byId<HTMLSelectElement>("f-metric");
  if (![...metric.options].some((o) => o.value === state.metric)) metric.append(h("option", { value: state.metric }, metricName(state.metric)));
  metric.value = state.metric;
  for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="series"]')) radio.checked = radio.value === state.series;
  byId<HTMLSelectElement>("sort").value = state.sort;
  const domain = byId<HTMLSelectElement>("domain");
  const current = state.domain ?? (state.filters.organ ? `organ:${state.filters.organ}` : "");
  if (current && ![...domain.options].some((o) => o.value === current)) domain.append(h("option", { value: current }, current.replace(":", ": ")));
  domain.value = current;
}
