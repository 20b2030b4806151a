import { and, eq, gt, sql, type SQL } from "drizzle-orm";
import { cachedQuery } from "../cache/query-cache.js";
import type { Db } from "../db/client.js";
import { studies } from "../db/schema.js";
import { accuracy, accuracyJoin, filtersUseAccuracy, ftsQuery, studyConditions, type StudyFilters } from "./filters.js";
import { constraintsOf, summaryGroups } from "../summary/read.js";
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
 * The `q` filter as FTS5 reads it. `whole`: every word was expanded into the whole indexed terms
 * it is a prefix of, which FTS5 reads lazily and can test against one rowid in microseconds, and
 * `matches` bounds the answer (the rarest word's studies). Otherwise the prefix query of
 * `ftsQuery`, which FTS5 can only answer by first merging every posting of each prefix. `match`
 * is null when nothing can match.
 */
export type Search = { match: string | null; whole: boolean; matches: number };

// More terms than this under one word (q=a) make each probe an OR of many lookups.
const MAX_TERMS = 16;

/**
 * The indexed terms a lower-cased word is a prefix of, with how many studies hold each. The
 * vocabulary table walks every posting of each term to count them (~25 ms for "transfer" at 200k,
 * ~100 ms at 1M, more than the page it plans), so it is read once per data version, also with the
 * caches off: it describes the index, as a planner's statistics do, and is not an answer; the
 * count and the page are still read on every request.
 */
export const prefixTerms = cachedQuery(
  (db: Db, low: string) => {
    const high = low.slice(0, -1) + String.fromCharCode(low.charCodeAt(low.length - 1) + 1);
    return db.all<{ term: string; doc: number }>(sql`select "term", "doc" from "studies_fts_terms" where "term" >= ${low} and "term" < ${high}`);
  },
  { maxEntries: 1024, keepWhenOff: true },
);

/**
 * Resolves `q` against the index vocabulary (studies_fts_terms). Only words of ASCII letters and
 * digits are expanded: for them the tokenizer's folding is lower-casing, so `term >= word AND
 * term < next(word)` is exactly the set a prefix query `"word"*` matches.
 */
export function resolveSearch(db: Db, q: string): Search {
  const prefix: Search = { match: ftsQuery(q), whole: false, matches: Number.POSITIVE_INFINITY };
  const words = q.match(/[\p{L}\p{N}]+/gu)?.slice(0, 20) ?? [];
  if (words.length === 0 || !words.every((w) => /^[A-Za-z0-9]+$/.test(w))) return prefix;
  const groups: string[] = [];
  let matches = Number.POSITIVE_INFINITY;
  for (const word of words) {
    const low = word.toLowerCase();
    const terms = prefixTerms(db, low);
    if (terms.length === 0) return { match: null, whole: true, matches: 0 };
    if (terms.length > MAX_TERMS) return prefix;
    groups.push(`(${terms.map((t) => `"${t.term.replaceAll('"', '""')}"`).join(" OR ")})`);
    matches = Math.min(matches, terms.reduce((n, t) => n + t.doc, 0));
  }
  return { match: groups.join(" AND "), whole: true, matches };
}

/**
 * Picks the plan for one query. Walking the sort index steps over about `rows × total / matches`
 * studies, sorting the matches costs about `matches`: the sort walk wins once `matches²` exceeds
 * `rows × total`. The filter plan is kept up to twice that (4× the square) because a narrow filter's
 * matches are usually loaded together (a review), so they sit on few pages and sort cheaply, while
 * a walk in key order over them would be a random read per row.
 */
export function choosePlan(filters: StudyFilters, sort: Sort, rows: number, sizes: Sizes, search?: Search): Plan {
  const used = Object.entries(filters).filter(([, v]) => v !== undefined).map(([k]) => k);
  if (used.length === 0) return "sort";
  const fewer = (matches: number) => matches * matches <= 4 * rows * sizes.total();
  if (used.length === 1 && search !== undefined) {
    // A search alone is sized by its own terms (a count would be a scan); its matches come in id
    // order. A prefix search is read whole by the sort walk's IN list whatever its size.
    if (sort === "id" || search.match === null) return "search";
    return search.whole && fewer(search.matches) ? "filter" : "sort";
  }
  if (fewer(sizes.matches())) return "filter";
  return search !== undefined && sort === "id" ? "search" : "sort";
}

/** The index that walks each sort column in (key, id) order; the names are schema.ts's. */
const SORT_INDEX = { year: "studies_year_idx", organ: "studies_organ_idx", accuracy: "study_results_metric_value_idx" } as const;

const from = (text: string) => sql.raw(text);
const STUDIES_ACCURACY = 'cross join "study_results" "accuracy" indexed by "study_results_study_metric_idx"';

/** The backbone filter as the set of ids it matches, which SQLite can drive a query from. */
const backboneList = (f: StudyFilters): SQL[] =>
  f.backbone === undefined ? [] : [sql`${studies.id} in (select "study_id" from "study_backbones" where "backbone" = ${f.backbone})`];

/**
 * The search as a test of one study (an FTS5 lookup of that rowid, for whole terms only), or as
 * the set of its matches built once per query.
 */
function searchCondition(search: Search | undefined, form: "probe" | "list", id: SQL | typeof studies.id = studies.id): SQL[] {
  if (search === undefined) return [];
  if (search.match === null) return [sql`0`];
  return form === "probe" && search.whole
    ? [sql`exists (select 1 from "studies_fts" where "studies_fts" match ${search.match} and "studies_fts"."rowid" = ${id})`]
    : [sql`${studies.id} in (select "rowid" from "studies_fts" where "studies_fts" match ${search.match})`];
}

/** The rows of one segment, at most `limit`, for the chosen plan. */
export function segmentRows(
  db: Db,
  input: { filters: StudyFilters; search?: Search; sort: Sort; plan: Plan; segment: Segment; limit: number; after?: Keyset },
): Row[] {
  const { filters, search, sort, plan, segment, limit } = input;
  const column = sortColumn(sort);
  const usesAccuracy = filtersUseAccuracy(filters);
  // No study without an accuracy satisfies an accuracy range: that stretch is empty.
  if (column === "accuracy" && !segment.valued && usesAccuracy) return [];
  if (plan === "search") {
    const match = search?.match ?? null;
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
  if (!segment.valued && column !== "accuracy" && !stretchHasRows(db, column, segment)) return [];
  const key = column === "accuracy" ? accuracy.value : studies[column];
  const conditions = plan === "filter" ? filterPlan(filters, search, column, segment) : sortPlan(filters, search, column, segment);
  if (plan === "sort" && column === "organ" && segment.valued) conditions.where.push(...organsWithMatches(db, filters, sort, segment, input.after));
  return db.all<Row>(
    sql`select ${studies.id} as "id", ${key} as "key" from ${conditions.access}
        where ${and(...conditions.where) ?? sql`1`} order by ${conditions.order} limit ${limit}`,
  );
}

/**
 * Whether any study at all lacks the key (a seek in its index). Most corpora have a year for
 * every study, and skipping the empty stretch spares a search its second build of the match list.
 */
function stretchHasRows(db: Db, column: "id" | "year" | "organ", segment: Segment): boolean {
  if (column === "id") return true;
  const probe = sql`select 1 from ${from(`"studies" indexed by "${SORT_INDEX[column]}"`)} where ${segment.where ?? sql`1`} limit 1`;
  return db.all(probe).length > 0;
}

/**
 * For a walk in organ order: the organs that hold a match, from the summaries, as `organ IN (...)`,
 * which SQLite reads value by value in order, seeking over the organs without one. Filters are
 * correlated with organ (no lung study is a tumor), and the walk would otherwise step over every
 * study of each organ without a match (300k for condition=tumor by -organ). The summaries answer
 * for the key filters only, so a search or accuracy range is left out of the question: the organs
 * kept are then a superset, which leaves the answer unchanged. Nothing is added when the
 * summaries cannot answer (stale, or no kept set fits), or for an organ name SQLite and
 * JavaScript might order differently (not ASCII).
 */
function organsWithMatches(db: Db, filters: StudyFilters, sort: Sort, segment: Segment, after?: Keyset): SQL[] {
  const keyed = { ...filters, q: undefined, accuracy_min: undefined, accuracy_max: undefined };
  if (segment.keys === "same" || keyed.organ !== undefined) return [];
  const constraints = constraintsOf(keyed);
  if (constraints === null || constraints.length === 0) return [];
  const groups = summaryGroups(db, { groupBy: ["organ"], constraints, metric: "accuracy", withFigures: false });
  if (groups === null) return [];
  const organs = groups.map((g) => g.keys[0]).filter((v): v is string => typeof v === "string");
  const ascii = (o: unknown): o is string => typeof o === "string" && /^[\x20-\x7e]*$/.test(o);
  if (!organs.every(ascii)) return [];
  // Beyond the keyset's organ only: SQLite would otherwise seek each listed organ and test the range.
  const from = segment.keys === "beyond" ? after?.key : undefined;
  if (from !== undefined && !ascii(from)) return [];
  const kept = from === undefined ? organs : organs.filter((o) => (sort.startsWith("-") ? o < from : o > from));
  // One bound JSON array: a corpus may hold more organs than SQLite binds parameters (32,766).
  // SQLite still reads the list in order, seeking organ by organ (no sort step).
  return [sql`${studies.organ} in (select "value" from json_each(${JSON.stringify(kept)}))`];
}

type Query = { access: SQL; where: (SQL | undefined)[]; order: SQL };

/**
 * Walks the sort's index (`indexed by`; `not indexed` for id, which is the table itself) and tests
 * every filter on the row it reaches: a column compare, or one index probe for a backbone (EXISTS)
 * or an accuracy (the joined row). Building the matching ids once instead (`id IN (...)`) costs
 * 40-150 ms at 1M for a filter matching a fifth of the studies, where the probes stop after a few
 * hundred rows.
 */
function sortPlan(filters: StudyFilters, search: Search | undefined, column: ReturnType<typeof sortColumn>, segment: Segment): Query {
  // In the stretch without an accuracy, the search is looked up only for studies that are in it:
  // naming the joined row (NULL there, so the id is the study's) makes SQLite test it after the
  // join, not on each of the eight in nine studies that have an accuracy and are skipped anyway.
  const probeId = column === "accuracy" && !segment.valued ? sql`coalesce(${accuracy.studyId}, ${studies.id})` : studies.id;
  const where = [segment.where, ...studyConditions({ ...filters, q: undefined }), ...searchCondition(search, "probe", probeId)];
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
function filterPlan(filters: StudyFilters, search: Search | undefined, column: ReturnType<typeof sortColumn>, segment: Segment): Query {
  const where = [
    unindexedWhere(segment),
    ...studyConditions({ ...filters, backbone: undefined, q: undefined }),
    ...backboneList(filters),
    ...searchCondition(search, "list"),
  ];
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
