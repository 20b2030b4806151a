import { and, count, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { studies } from "../db/schema.js";
import { builtColumns, columnsFor } from "../columns/registry.js";
import { madeSelection, selectEntries } from "../columns/select.js";
import { constraintsOf, summaryCount } from "../summary/read.js";
import { accuracy, accuracyJoin, filtersUseAccuracy, ftsQuery, studyConditions, type StudyFilters } from "./filters.js";

/**
 * How many studies match the filters, over all pages. Read from the summaries when they can
 * answer (every single filter but the full-text search), which costs the same at any size;
 * counted by a scan otherwise, with the same result.
 */
export function countStudies(db: Db, filters: StudyFilters): number {
  const constraints = constraintsOf({ ...filters, accuracy_min: undefined, accuracy_max: undefined });
  if (constraints) {
    const range = filtersUseAccuracy(filters) ? { metric: "accuracy", min: filters.accuracy_min, max: filters.accuracy_max } : undefined;
    const n = summaryCount(db, constraints, range);
    if (n !== null) return n;
  }
  // The same request already selected these studies in the column store (stats by backbone): their number.
  const built = builtColumns(db);
  const made = built && madeSelection(built, filters);
  if (made) return made.length;
  // Full-text search alone: the index holds one row per study, so its own count is the answer,
  // without looking each match up in the studies table.
  if (filters.q !== undefined && Object.values({ ...filters, q: undefined }).every((v) => v === undefined)) {
    const match = ftsQuery(filters.q);
    if (match === null) return 0;
    return db.$client.prepare("SELECT count(*) FROM studies_fts WHERE studies_fts MATCH ?").pluck().get(match) as number;
  }
  // Any other combination: the column store's selection (docs/decisions/0006), when not in a transaction.
  const store = columnsFor(db);
  if (store) return selectEntries(db, store, filters).length;
  const counted = db.select({ n: count() }).from(studies).$dynamic();
  const joined = filtersUseAccuracy(filters) ? counted.leftJoin(accuracy, accuracyJoin) : counted;
  return joined.where(and(...studyConditions(filters))).get()?.n ?? 0;
}

/** Above this many matches a count that involves `q` stops and says it is a lower bound. */
export const COUNT_BOUND = 10_000;

export type BoundedCount = { count: number; lowerBound: boolean };

/**
 * The count a page shows. Exact whenever the summaries answer, and for every filter set without
 * `q`, as countStudies. A full-text match has no summary and its exact count costs one step per
 * matching study (~25 ms for "transfer", 470,000 matches at 1M): it is counted up to
 * `bound` + 1 and, past `bound`, answered as `bound` with `lowerBound` set.
 */
export function countStudiesBounded(db: Db, filters: StudyFilters, bound = COUNT_BOUND): BoundedCount {
  if (filters.q === undefined) return { count: countStudies(db, filters), lowerBound: false };
  const match = ftsQuery(filters.q);
  if (match === null) return { count: 0, lowerBound: false };
  const alone = Object.values({ ...filters, q: undefined }).every((v) => v === undefined);
  // Alone, the index holds one row per study: its rows are the matches.
  const n = alone
    ? (db.$client.prepare("SELECT count(*) FROM (SELECT 1 FROM studies_fts WHERE studies_fts MATCH ? LIMIT ?)").pluck().get(match, bound + 1) as number)
    : boundedScan(db, filters, bound + 1);
  return n > bound ? { count: bound, lowerBound: true } : { count: n, lowerBound: false };
}

/** count(*) of the matches, stopping at `limit`. */
function boundedScan(db: Db, filters: StudyFilters, limit: number): number {
  const rows = db.select({ one: sql`1` }).from(studies).$dynamic();
  const joined = filtersUseAccuracy(filters) ? rows.leftJoin(accuracy, accuracyJoin) : rows;
  const matches = joined.where(and(...studyConditions(filters))).limit(limit).as("matches");
  return db.select({ n: count() }).from(matches).get()?.n ?? 0;
}
