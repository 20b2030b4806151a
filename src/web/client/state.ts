/**
 * The whole view lives in the URL's query string, so a view can be shared as a link, reloading
 * restores it and the back button steps through earlier views.
 */

import { DEFAULT_METRIC } from "../metric-text.js";

export const FILTER_KEYS = ["review", "organ", "strategy", "backbone", "modality", "year_from", "year_to", "q"] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type Filters = Partial<Record<FilterKey, string>>;

export type ViewState = {
  filters: Filters;
  /** The metric every figure, chart and ranking is on (not a filter: /v1/studies lists every study). */
  metric: string;
  series: "strategy" | "organ";
  sort: string;
  cursor: string | null;
  /** The recommendation panel's domain, "organ:lung" or "condition:brain tumor". */
  domain: string | null;
};

export const SORTS = ["year", "-year", "accuracy", "-accuracy", "organ", "-organ"] as const;
export const DEFAULT_SORT = "-year";

export function readState(search: string): ViewState {
  const qs = new URLSearchParams(search);
  const filters: Filters = {};
  for (const k of FILTER_KEYS) {
    const v = qs.get(k)?.trim();
    if (v) filters[k] = v;
  }
  const sort = qs.get("sort") ?? DEFAULT_SORT;
  return {
    filters,
    metric: qs.get("metric")?.trim() || DEFAULT_METRIC,
    series: qs.get("series") === "organ" ? "organ" : "strategy",
    sort: (SORTS as readonly string[]).includes(sort) ? sort : DEFAULT_SORT,
    cursor: qs.get("cursor") || null,
    domain: qs.get("domain") || null,
  };
}

export function writeState(s: ViewState): string {
  const qs = new URLSearchParams();
  for (const k of FILTER_KEYS) if (s.filters[k]) qs.set(k, s.filters[k]!);
  if (s.metric !== DEFAULT_METRIC) qs.set("metric", s.metric);
  if (s.series !== "strategy") qs.set("series", s.series);
  if (s.sort !== DEFAULT_SORT) qs.set("sort", s.sort);
  if (s.cursor) qs.set("cursor", s.cursor);
  if (s.domain) qs.set("domain", s.domain);
  const str = qs.toString();
  return str ? `?${str}` : "";
}

/** The metric parameter of the aggregates: left out for the default, so those requests stay as they were. */
export const metricParam = (s: ViewState) => (s.metric === DEFAULT_METRIC ? undefined : s.metric);

/** The domain the recommendation panel shows: its own choice, else the organ filter. */
export function effectiveDomain(s: ViewState): string | null {
  return s.domain ?? (s.filters.organ ? `organ:${s.filters.organ}` : null);
}
