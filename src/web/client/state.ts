/**
 * The whole view lives in the URL's query string, so a view can be shared as a link, reloading
 * restores it and the back button steps through earlier views.
 */

export const FILTER_KEYS = ["organ", "strategy", "backbone", "modality", "year_from", "year_to", "q"] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type Filters = Partial<Record<FilterKey, string>>;

export type ViewState = {
  filters: Filters;
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
    series: qs.get("series") === "organ" ? "organ" : "strategy",
    sort: (SORTS as readonly string[]).includes(sort) ? sort : DEFAULT_SORT,
    cursor: qs.get("cursor") || null,
    domain: qs.get("domain") || null,
  };
}

export function writeState(s: ViewState): string {
  const qs = new URLSearchParams();
  for (const k of FILTER_KEYS) if (s.filters[k]) qs.set(k, s.filters[k]!);
  if (s.series !== "strategy") qs.set("series", s.series);
  if (s.sort !== DEFAULT_SORT) qs.set("sort", s.sort);
  if (s.cursor) qs.set("cursor", s.cursor);
  if (s.domain) qs.set("domain", s.domain);
  const str = qs.toString();
  return str ? `?${str}` : "";
}

/** The domain the recommendation panel shows: its own choice, else the organ filter. */
export function effectiveDomain(s: ViewState): string | null {
  return s.domain ?? (s.filters.organ ? `organ:${s.filters.organ}` : null);
}
