import { DEFAULT_METRIC, metricName } from "../metric-text.js";
import { apiUrl, getJson, type Stats } from "./api.js";
import { byId, h } from "./dom.js";
import { FILTER_KEYS, type ViewState } from "./state.js";

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

type Provenance = { meta: { provenance?: { title: string; citation: string }[] } };

/** Names the source review(s) from the API's provenance, so the page never hard-codes them. */
async function showSource() {
  const { meta } = await getJson<Provenance>(apiUrl("/v1/studies", { limit: 1 }));
  const sources = meta.provenance ?? [];
  if (sources.length === 0) return;
  byId("source").replaceChildren(
    ...sources.flatMap((s, i) => [i > 0 ? "; " : "", h("cite", { title: s.citation }, s.title)]).filter((n) => n !== ""),
  );
}

export async function populateOptions(form: HTMLFormElement, state: ViewState) {
  // The source line is a courtesy; if it fails the page keeps its generic wording.
  void showSource().catch(() => undefined);
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
