import { and, eq, gt, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { studies } from "../db/schema.js";
import { accuracy, accuracyJoin, filtersUseAccuracy, ftsQuery, studyConditions, type StudyFilters } from "./filters.js";
import { sortColumn, type Keyset, type Segment, type Sort, type SortKey } from "./study-order.js";

/**
 * How a page of studies is read (docs in `choosePlan`):
 * - "sort": walk the sort's own index in order and test the filters on each row, stopping at the
 *   page's last row, so the cost is the rows stepped over, about limit × total / matches;
 * - "filter": let the filters' indexes find every match, then sort them, so the cost is the
 *   number of matches;
 * - "search": walk the full-text matches, which FTS5 returns in rowid (= study id) order.
 */
export type Plan = "sort" | "filter" | "search";

export type Row = { id: number; key: SortKey };

/** How big the answer is, asked only when the plan depends on it. */
export type Sizes = { matches: () => number; total: () => number };

/**
 * Picks the plan for one query. Walking the sort index steps over about `rows × total / matches`
 * studies, sorting the matches costs about `matches`: the sort walk wins once `matches²` exceeds
 * `rows × total`. The filter plan is kept up to twice that (4× the square) because a narrow filter's
 * matches are usually loaded together (a review), so they sit on few pages and sort cheaply, while
 * a walk in key order over them would be a random read per row.
 */
export function choosePlan(filters: StudyFilters, sort: Sort, rows: number, sizes: Sizes): Plan {
  const used = Object.entries(filters).filter(([, v]) => v !== undefined).map(([k]) => k);
  if (used.length === 0) return "sort";
  const searchOnly = used.length === 1 && used[0] === "q";
  // A search alone: its matches come in id order, and a search that matches few studies is read
  // whole by the sort walk's IN list anyway, so its size is never asked (counting it is a scan).
  if (searchOnly) return sort === "id" ? "search" : "sort";
  const matches = sizes.matches();
  if (matches * matches <= 4 * rows * sizes.total()) return "filter";
  return filters.q !== undefined && sort === "id" ? "search" : "sort";
}

/** The index that walks each sort column in (key, id) order; the names are schema.ts's. */
const SORT_INDEX = { year: "studies_year_idx", organ: "studies_organ_idx", accuracy: "study_results_metric_value_idx" } as const;

const from = (text: string) => sql.raw(text);
const STUDIES_ACCURACY = 'cross join "study_results" "accuracy" indexed by "study_results_study_metric_idx"';

/** The backbone filter as the set of ids it matches, which SQLite can drive a query from. */
const backboneList = (f: StudyFilters): SQL[] =>
  f.backbone === undefined ? [] : [sql`${studies.id} in (select "study_id" from "study_backbones" where "backbone" = ${f.backbone})`];

/** The rows of one segment, at most `limit`, for the chosen plan. */
export function segmentRows(
  db: Db,
  input: { filters: StudyFilters; sort: Sort; plan: Plan; segment: Segment; limit: number; after?: Keyset },
): Row[] {
  const { filters, sort, plan, segment, limit } = input;
  const column = sortColumn(sort);
  const usesAccuracy = filtersUseAccuracy(filters);
  // No study without an accuracy satisfies an accuracy range: that stretch is empty.
  if (column === "accuracy" && !segment.valued && usesAccuracy) return [];
  if (plan === "search") {
    const match = filters.q === undefined ? null : ftsQuery(filters.q);
    if (match === null) return [];
    const others = studyConditions({ ...filters, q: undefined });
    const access = from(`"studies_fts" cross join "studies" on "studies"."id" = "studies_fts"."rowid"${usesAccuracy ? ` ${STUDIES_ACCURACY}` : ""}`);
    const seek = input.after === undefined ? undefined : gt(sql`"studies_fts"."rowid"`, input.after.id);
    return db.all<Row>(
      sql`select ${studies.id} as "id", ${studies.id} as "key" from ${access}${usesAccuracy ? sql` on ${accuracyJoin}` : sql``}
          where "studies_fts" match ${match} and ${and(seek, ...others) ?? sql`1`}
          order by "studies_fts"."rowid" limit ${limit}`,
    );
  }
  const key = column === "accuracy" ? accuracy.value : studies[column];
  const conditions = plan === "filter" ? filterPlan(filters, column, segment) : sortPlan(filters, column, segment);
  return db.all<Row>(
    sql`select ${studies.id} as "id", ${key} as "key" from ${conditions.access}
        where ${and(...conditions.where) ?? sql`1`} order by ${conditions.order} limit ${limit}`,
  );
}

type Query = { access: SQL; where: (SQL | undefined)[]; order: SQL };

/**
 * Walks the sort's index (`indexed by`; `not indexed` for id, which is the table itself) and tests
 * every filter on the row it reaches: a column compare, or one index probe for a backbone (EXISTS)
 * or an accuracy (the joined row). Building the matching ids once instead (`id IN (...)`) costs
 * 40-150 ms at 1M for a filter matching a fifth of the studies, where the probes stop after a few
 * hundred rows.
 */
function sortPlan(filters: StudyFilters, column: ReturnType<typeof sortColumn>, segment: Segment): Query {
  const where = [segment.where, ...studyConditions(filters)];
  const order = sql.join(segment.order, sql`, `);
  if (column === "accuracy" && segment.valued) {
    return {
      access: from(`"study_results" "accuracy" indexed by "${SORT_INDEX.accuracy}" cross join "studies"`),
      where: [eq(accuracy.studyId, studies.id), eq(accuracy.metric, "accuracy"), ...where],
      order,
    };
  }
  if (column === "accuracy") {
    // Studies without an accuracy have no index of their own: walk the table in id order.
    return { access: sql`${from('"studies" not indexed left join "study_results" "accuracy"')} on ${accuracyJoin}`, where, order };
  }
  // The stretch without a value is the (NULL, id) end of the key's index, already in id order.
  const table = column === "id" ? '"studies" not indexed' : `"studies" indexed by "${SORT_INDEX[column]}"`;
  const joined = filtersUseAccuracy(filters) ? sql`${from(`${table} ${STUDIES_ACCURACY}`)} on ${accuracyJoin}` : from(table);
  return { access: joined, where, order };
}

/**
 * Lets SQLite pick the filters' best index (the backbone filter written as an id list so it can
 * be that index), then sorts the matches. The sort key is read through a unary plus, which SQLite
 * cannot serve from an index, so the sort's index is never walked instead.
 */
function filterPlan(filters: StudyFilters, column: ReturnType<typeof sortColumn>, segment: Segment): Query {
  const where = [unindexedWhere(segment), ...studyConditions({ ...filters, backbone: undefined }), ...backboneList(filters)];
  const order = sql.join(segment.order.map(unindexed), sql`, `);
  const needsAccuracy = column === "accuracy" || filtersUseAccuracy(filters);
  if (!needsAccuracy) return { access: from('"studies"'), where, order };
  // An accuracy range alone is best driven from the (metric, value) index; any other filter from studies.
  const accuracyOnly = Object.entries(filters).every(([k, v]) => v === undefined || k.startsWith("accuracy_"));
  const join =
    accuracyOnly && filtersUseAccuracy(filters)
      ? '"study_results" "accuracy" cross join "studies"'
      : `"studies" ${column === "accuracy" && !segment.valued ? "left" : "cross"} join "study_results" "accuracy"`;
  return { access: sql`${from(join)} on ${accuracyJoin}`, where, order };
}
/** `+expr`: the same value, but not something SQLite will walk an index for. */
const unindexed = (s: SQL): SQL => sql`+${s}`;
const unindexedWhere = (segment: Segment): SQL | undefined => segment.where && sql`+(${segment.where})`;
