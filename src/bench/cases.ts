import type { App } from "../app.js";
import { cachedStats } from "../cache/aggregates.js";
import type { Db } from "../db/client.js";
import type { StudyFilters } from "../queries/filters.js";
import type { GroupKey } from "../queries/group-keys.js";
import { recommend } from "../queries/recommendations.js";
import { listReferences } from "../queries/references.js";
import { getStats } from "../queries/stats.js";
import { listStudies, SORTS, type Keyset, type Sort } from "../queries/studies.js";
import { getTrends, SERIES, type Series } from "../queries/trends.js";
import {
  FILTER_SQL,
  type FilterSql,
  filteredRecommendationsFloor,
  filteredStatsFloor,
  filteredTrendsFloor,
  recommendationsFloor,
  referenceSearchFloor,
  SORT_SQL,
  statsFloor,
  studiesPageFloor,
  trendsFloor,
} from "./floors.js";

export type Group = "page" | "page-sort" | "cursor" | "aggregate" | "cached" | "search" | "export";
export type Case = { group: Group; name: string; query: () => unknown; floor: (() => unknown) | null };

const LIMIT = 50;
export const CURSOR_DEPTH = 10_000;

/** Each bench filter as the API takes it; keys match FILTER_SQL. */
const FILTERS: Record<string, StudyFilters> = {
  none: {},
  organ: { organ: "brain" },
  strategy: { strategy: "fine-tuning" },
  backbone: { backbone: "VGG-16" },
  condition: { condition: "tumor" },
  modality: { modality: "MRI" },
  year: { year_from: 2020 },
  accuracy: { accuracy_min: 95 },
  q: { q: "transfer" },
  review: { review: "synth-0001" },
};

const GROUPINGS: GroupKey[][] = [["organ"], ["strategy"], ["backbone"], ["year"], ["modality"], ["condition"], ["organ", "strategy"]];

/** Every in-process case for one database: the API's query function and its raw-SQL floor. */
export function buildCases(db: Db, app: App): Case[] {
  const sqlite = db.$client;
  const cases: Case[] = [];
  const page = (filters: StudyFilters, sort: Sort, after?: Keyset) => () => listStudies(db, { filters, sort, limit: LIMIT, after });

  for (const [name, filters] of Object.entries(FILTERS)) {
    cases.push({ group: "page", name: `studies ${name} (sort id)`, query: page(filters, "id"), floor: studiesPageFloor(sqlite, name, "id", LIMIT) });
    for (const sort of SORTS.filter((s) => s !== "id")) {
      cases.push({ group: "page-sort", name: `studies ${name} sort ${sort}`, query: page(filters, sort), floor: studiesPageFloor(sqlite, name, sort, LIMIT) });
    }
  }

  // Depth 10,000 pages of 50, or as deep as a smaller corpus goes; the keyset comes from SQL.
  const total = sqlite.prepare("SELECT count(*) FROM studies").pluck().get() as number;
  const depth = Math.min(CURSOR_DEPTH, Math.floor(total / LIMIT) - 1);
  for (const sort of ["id", "-year"] as const) {
    const order = SORT_SQL[sort]!;
    const at = sqlite.prepare(`SELECT s.id, s.year FROM studies s ORDER BY ${order} LIMIT 1 OFFSET ?`).get(depth * LIMIT - 1) as { id: number; year: number | null };
    const after: Keyset = { key: sort === "id" ? at.id : at.year, id: at.id };
    const seek =
      sort === "id"
        ? { sql: "s.id > ?", params: [at.id] }
        : { sql: "(s.year < ? OR (s.year = ? AND s.id < ?) OR s.year IS NULL)", params: [at.year, at.year, at.id] };
    cases.push({ group: "cursor", name: `studies page 1 (sort ${sort})`, query: page({}, sort), floor: studiesPageFloor(sqlite, "none", sort, LIMIT) });
    cases.push({ group: "cursor", name: `studies page ${depth} (sort ${sort})`, query: page({}, sort, after), floor: studiesPageFloor(sqlite, "none", sort, LIMIT, seek) });
  }

  for (const groupBy of GROUPINGS) {
    const input = { filters: {}, groupBy, metric: "accuracy" };
    cases.push({ group: "aggregate", name: `stats group_by=${groupBy.join(",")}`, query: () => getStats(db, input), floor: statsFloor(sqlite, groupBy) });
  }
  for (const series of SERIES) {
    cases.push({ group: "aggregate", name: `trends series=${series}`, query: () => getTrends(db, { filters: {}, series }), floor: trendsFloor(sqlite, series) });
  }
  cases.push({ group: "aggregate", name: "recommendations organ=brain", query: () => recommend(db, { organ: "brain" }), floor: recommendationsFloor(sqlite, "brain") });
  // Filtered aggregates (issue 10): what the dashboard asks when a user picks filters.
  const where = (parts: [string, unknown][], accuracy = false): FilterSql => ({ where: parts.map((p) => p[0]).join(" AND "), params: parts.map((p) => p[1]), accuracy });
  const ORGAN: [string, unknown] = ["s.organ = ?", "brain"];
  const statsCase = (label: string, groupBy: GroupKey[], filters: StudyFilters, f: FilterSql) =>
    cases.push({ group: "aggregate", name: `filtered stats group_by=${groupBy.join(",")}&${label}`, query: () => getStats(db, { filters, groupBy, metric: "accuracy" }), floor: filteredStatsFloor(sqlite, groupBy, f) });
  const trendsCase = (label: string, series: Series, filters: StudyFilters, f: FilterSql) =>
    cases.push({ group: "aggregate", name: `filtered trends series=${series}&${label}`, query: () => getTrends(db, { filters, series }), floor: filteredTrendsFloor(sqlite, series, f) });
  trendsCase("organ=brain", "strategy", { organ: "brain" }, where([ORGAN]));
  trendsCase("strategy=fine-tuning", "strategy", { strategy: "fine-tuning" }, where([["s.strategy = ?", "fine-tuning"]]));
  trendsCase("backbone=VGG-16&year_from=2010", "backbone", { backbone: "VGG-16", year_from: 2010 }, where([[FILTER_SQL.backbone!.where, "VGG-16"], ["s.year >= ?", 2010]]));
  statsCase("year_from=2018", ["organ"], { year_from: 2018 }, where([["s.year >= ?", 2018]]));
  statsCase("organ=brain&year_from=2015", ["organ", "strategy"], { organ: "brain", year_from: 2015 }, where([ORGAN, ["s.year >= ?", 2015]]));
  statsCase("accuracy_min=90", ["condition"], { accuracy_min: 90 }, where([["m.value >= ?", 90]]));
  statsCase("q=transfer", ["backbone"], { q: "transfer" }, where([[FILTER_SQL.q!.where, '"transfer"*']]));
  statsCase("condition=tumor&modality=MRI", ["year"], { condition: "tumor", modality: "MRI" }, where([["s.condition LIKE ? ESCAPE '\\'", "%tumor%"], ["s.modality = ?", "MRI"]]));
  // The remaining filter kinds: a modality, one review, a closed year range with a metric bound.
  statsCase("modality=CT", ["strategy"], { modality: "CT" }, where([["s.modality = ?", "CT"]]));
  trendsCase("review=synth-0001", "organ", { review: "synth-0001" }, where([["s.review_id = ?", "synth-0001"]]));
  statsCase(
    "year_from=2015&year_to=2019&accuracy_max=97",
    ["year"],
    { year_from: 2015, year_to: 2019, accuracy_max: 97 },
    where([["s.year >= ?", 2015], ["s.year <= ?", 2019], ["m.value <= ?", 97]]),
  );
  cases.push({
    group: "aggregate",
    name: "filtered recommendations organ=brain&condition=tumor",
    query: () => recommend(db, { organ: "brain", condition: "tumor" }),
    floor: filteredRecommendationsFloor(sqlite, where([ORGAN, ["s.condition LIKE ? ESCAPE '\\'", "%tumor%"]])),
  });
  const cachedInput = { filters: {}, groupBy: ["organ"] as GroupKey[], metric: "accuracy" };
  cases.push({ group: "cached", name: "stats group_by=organ, cached", query: () => cachedStats(db, cachedInput), floor: null });

  cases.push({
    group: "search",
    name: "references q=transfer",
    query: () => listReferences(db, { q: "transfer", limit: LIMIT }),
    floor: referenceSearchFloor(sqlite, "transfer", LIMIT),
  });

  // CSV over the app (routing, validation, serialization), the body read to its end.
  // An error answer is fast and would be measured as if it were the download: refuse it.
  const csv = (path: string) => async () => {
    const res = await app.request(path);
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    return res.text();
  };
  cases.push({ group: "export", name: "GET /v1/studies?format=csv&limit=500", query: csv("/v1/studies?format=csv&limit=500"), floor: studiesPageFloor(sqlite, "none", "id", 500) });
  // The whole-match export streams in keyset batches; one review is 10,000 studies at every size.
  cases.push({ group: "export", name: "GET /v1/studies?format=csv&review=synth-0001 (streamed, 10k rows)", query: csv("/v1/studies?format=csv&review=synth-0001"), floor: null });
  cases.push({ group: "export", name: "GET /v1/references?format=csv&year=2019", query: csv("/v1/references?format=csv&year=2019"), floor: null });
  return cases;
}
