import { ApiProblem, apiUrl, countText, getJson, type Stats, type Study, type StudyPage } from "./api.js";
import { type ChartData, renderCharts } from "./charts-view.js";
import { DOTS_MAX } from "../charts.js";
import { byId, h } from "./dom.js";
import { setDownloadLinks } from "./downloads.js";
import { populateOptions, reviewCount, showSource, syncForm } from "./options.js";
import { loadRecommendations, renderRecommendations } from "./recommend.js";
import { DEFAULT_METRIC, type MetricScale } from "../metric-text.js";
import { effectiveDomain, FILTER_KEYS, type Filters, metricParam, readState, type ViewState, writeState } from "./state.js";
import { renderTable } from "./table.js";

const PAGE_SIZE = 10;

let state: ViewState = readState(location.search);
// Cursors of the pages before this one, for "Previous"; a reloaded deep page starts afresh.
let previousCursors: (string | null)[] = [];
let inflight: AbortController | null = null;
let lastData: ChartData | null = null;

const form = byId<HTMLFormElement>("filters");
const status = byId("status");
const errorBox = byId("error");
const app = byId("app");

/** Pushes a new view onto the history (so Back returns to the last one) and draws it. */
function go(next: ViewState) {
  if (next.cursor === null) previousCursors = [];
  state = next;
  history.pushState(null, "", `${location.pathname}${writeState(state)}`);
  void render();
}

function filtersFromForm(): Filters {
  const data = new FormData(form);
  const filters: Filters = {};
  for (const k of FILTER_KEYS) {
    const v = String(data.get(k) ?? "").trim();
    if (v) filters[k] = v;
  }
  return filters;
}

function metricFromForm(): string {
  return String(new FormData(form).get("metric") ?? "").trim() || DEFAULT_METRIC;
}

/**
 * The studies of a small view, for one mark per study: one page of at most DOTS_MAX, asked only
 * once the aggregates said the view holds no more. A large view draws from the aggregates alone.
 */
async function smallViewStudies(filters: Filters, count: number, signal: AbortSignal): Promise<Study[] | null> {
  if (count === 0 || count > DOTS_MAX) return null;
  const page = await getJson<StudyPage>(apiUrl("/v1/studies", { ...filters, sort: "year", limit: DOTS_MAX }), signal);
  return page.results;
}

function describeFilters(f: Filters): string {
  const parts = FILTER_KEYS.filter((k) => f[k]).map((k) => `${k.replace("_", " ")} ${f[k]}`);
  if (parts.length) return parts.join(", ");
  return reviewCount() > 1 ? `all ${reviewCount()} reviews` : "the whole review";
}

async function render() {
  inflight?.abort();
  const controller = new AbortController();
  inflight = controller;
  const { signal } = controller;
  syncForm(form, state);
  app.setAttribute("aria-busy", "true");
  app.classList.add("loading");
  status.textContent = "Loading the evidence…";
  errorBox.hidden = true;
  app.classList.remove("failed");
  setDownloadLinks(state);
  showSource(state);
  void renderDomain(signal);

  try {
    const f = state.filters;
    const metric = metricParam(state);
    const stats = (group_by: string) => getJson<Stats>(apiUrl("/v1/stats", { ...f, group_by, metric }), signal);
    const [values, years, backbones, page, trends] = await Promise.all([
      stats("organ,strategy"),
      stats(`year,${state.series}`),
      stats("backbone,strategy"),
      getJson<StudyPage>(apiUrl("/v1/studies", { ...f, sort: state.sort, limit: PAGE_SIZE, cursor: state.cursor }), signal),
      // The trend sentences are a caption, not the evidence: without them the charts still stand.
      getJson<{ summary?: string | string[] }>(apiUrl("/v1/trends", { ...f, series: state.series, metric }), signal).catch((err: Error) => {
        if (signal.aborted) throw err;
        return { summary: `The trend summary could not be loaded: ${err.message}` };
      }),
    ]);
    const studies = await smallViewStudies(f, values.meta.count, signal);
    if (signal.aborted) return;
    lastData = { values, years, backbones, studies };
    const empty = values.meta.count === 0;
    app.classList.toggle("empty", empty);
    byId("empty").hidden = !empty;
    byId("empty-text").textContent = empty ? emptyMessage(f) : "";
    if (!empty) renderCharts(lastData, state.series);
    byId("trend-summary").replaceChildren(...sentences(trends.summary).map((s) => h("li", {}, s)));
    renderStudies(page, { metric: values.meta.metric, scale: values.meta.scale });
    status.textContent = `${countText(page.meta)} for ${describeFilters(f)}.`;
    document.title = `${describeFilters(f)} · litreview evidence dashboard`;
  } catch (err) {
    if (signal.aborted) return;
    showError(err);
  } finally {
    if (inflight === controller) {
      app.removeAttribute("aria-busy");
      app.classList.remove("loading");
    }
  }
}

/** /v1/trends gives its summary as a few sentences in one string; the page lists them one per line. */
function sentences(summary: string | string[] | undefined): string[] {
  if (Array.isArray(summary)) return summary;
  return (summary ?? "").split(/(?<=[.!?])\s+(?=[A-Z0-9])/).filter((s) => s.trim());
}

function emptyMessage(f: Filters): string {
  if (f.organ === "kidney" && Object.keys(f).length === 1) {
    return "The review names kidney imaging, but none of the studies it summarises is about the kidney: there is no evidence to show.";
  }
  return `No study in the review matches ${describeFilters(f)}. Remove a filter to see more.`;
}

function showError(err: unknown) {
  const problem = err instanceof ApiProblem ? err : null;
  // Charts and table from an earlier view would pass for an answer to this one: hide them.
  app.classList.add("failed");
  errorBox.hidden = false;
  errorBox.replaceChildren(
    h("strong", {}, problem ? `The API answered an error (${problem.status || "no answer"}): ${problem.title}` : "Something went wrong"),
    h("p", {}, (err as Error).message),
    h("p", {}, h("a", { href: "/" }, "Start again from the whole review")),
  );
  status.textContent = "The evidence could not be loaded.";
}

function renderStudies(page: StudyPage, on: MetricScale) {
  const { count } = page.meta;
  renderTable(byId("studies-body"), byId("studies-head"), page.results, state.sort, on, (sort) => go({ ...state, sort, cursor: null }));
  const first = previousCursors.length * PAGE_SIZE + 1;
  byId("studies-count").textContent =
    count === 0 ? "No studies." : `Showing ${first}–${first + page.results.length - 1} of ${countText(page.meta)}`;
  const prev = byId<HTMLButtonElement>("page-prev");
  const next = byId<HTMLButtonElement>("page-next");
  prev.disabled = state.cursor === null;
  next.disabled = page.meta.next_cursor === null;
  next.dataset.cursor = page.meta.next_cursor ?? "";
}

async function renderDomain(signal: AbortSignal) {
  const target = byId("recommend-body");
  const domain = effectiveDomain(state);
  if (!domain) {
    target.replaceChildren(h("p", {}, "Pick an organ or a condition to see which transfer strategies and backbones the evidence supports."));
    return;
  }
  target.replaceChildren(h("p", { class: "loading-text" }, "Loading recommendations…"));
  try {
    const rec = await loadRecommendations(domain, metricParam(state), state.filters.review, signal);
    if (!signal.aborted) renderRecommendations(target, domain, rec);
  } catch (err) {
    if (signal.aborted) return;
    target.replaceChildren(h("p", { class: "error-text", role: "alert" }, `The recommendations could not be loaded: ${(err as Error).message}`));
  }
}

form.addEventListener("submit", (e) => {
  e.preventDefault();
  go({ ...state, filters: filtersFromForm(), metric: metricFromForm(), cursor: null });
});
form.addEventListener("change", (e) => {
  // Text boxes apply on Enter (submit), so typing a year does not fire a request per keystroke.
  if ((e.target as HTMLElement).tagName === "SELECT") go({ ...state, filters: filtersFromForm(), metric: metricFromForm(), cursor: null });
});
byId("reset").addEventListener("click", () => go({ ...state, filters: {}, cursor: null }));
for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="series"]')) {
  radio.addEventListener("change", () => go({ ...state, series: radio.value === "organ" ? "organ" : "strategy" }));
}
byId<HTMLSelectElement>("domain").addEventListener("change", (e) => {
  go({ ...state, domain: (e.target as HTMLSelectElement).value || null });
});
byId<HTMLSelectElement>("sort").addEventListener("change", (e) => {
  go({ ...state, sort: (e.target as HTMLSelectElement).value, cursor: null });
});
byId("page-next").addEventListener("click", (e) => {
  const cursor = (e.currentTarget as HTMLButtonElement).dataset.cursor;
  if (!cursor) return;
  previousCursors.push(state.cursor);
  go({ ...state, cursor });
});
byId("page-prev").addEventListener("click", () => {
  const cursor = previousCursors.pop() ?? null;
  go({ ...state, cursor });
});
window.addEventListener("popstate", () => {
  state = readState(location.search);
  previousCursors = [];
  void render();
});
let resizeTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    if (lastData && lastData.values.meta.count > 0) renderCharts(lastData, state.series);
  }, 200);
});

void populateOptions(form, state).then(render, showError);
