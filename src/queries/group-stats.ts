import { and, asc, eq, gte, lte, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client.js";
import { studies, studyBackbones, studyResults } from "../db/schema.js";
import { accuracy, accuracyJoin, studyConditions, type StudyFilters } from "./filters.js";
import { GROUP_COLUMNS, type GroupKey, type KeyValue } from "./group-keys.js";
import type { MetricSummary } from "./statistics.js";
import { constraintsOf, summaryDistinct, summaryGroups, summaryLatestYear, type RawSummary } from "../summary/read.js";
import { aggregateColumns, type ColumnGroup } from "../columns/aggregate.js";
import { columnsFor, metricColumn } from "../columns/registry.js";
import { selectEntries, withinYears } from "../columns/select.js";
import { compareSql } from "../summary/read.js";

const measured = alias(studyResults, "measured");


/** A group's figures as SQLite computes them; quartiles by percentile_cont, which is type 7. */
export type GroupFigures = {
  keys: KeyValue[];
  /** Rows in the group: studies, or study-backbone pairs when grouping by backbone. */
  count: number;
  summary: MetricSummary;
  /** Only filled when withLatestYear asks (for recommendations). */
  latestYear: number | null;
  /** The first ids of the group, ascending, when asked for and the column store answered. */
  firstIds?: number[];
};

type Row = Record<string, KeyValue> & RawSummary & { count: number; latest: number | null };

/**
 * Joins the accuracy row only when a filter reads it: SQLite does not drop an unused LEFT JOIN
 * here, and the lookup per study would double the cost of a full-corpus aggregate.
 */
function withAccuracy<T extends { leftJoin: (table: typeof accuracy, on: SQL | undefined) => T }>(query: T, filters: StudyFilters): T {
  return filters.accuracy_min !== undefined || filters.accuracy_max !== undefined ? query.leftJoin(accuracy, accuracyJoin) : query;
}

// Four decimals, as statistics.summarize rounds: float noise never reaches a client.
const round = (x: number | null) => (x === null ? null : Math.round(x * 1e4) / 1e4);

/**
 * Counts and metric statistics per group, aggregated inside SQLite (count, avg, min, max and the
 * percentile extension's percentile_cont), so a million studies never cross into JavaScript one
 * row at a time: only one row per group does. Grouping by backbone joins study_backbones with a
 * LEFT JOIN, so a study naming no backbone lands in the null group, as groupedRows did.
 */
type GroupInput = {
  filters: StudyFilters;
  groupBy: readonly GroupKey[];
  metric: string;
  /** False: counts only, skipping the metric's aggregates (each percentile sorts its group). */
  withFigures?: boolean;
  withLatestYear?: boolean;
  /** Also list each group's first ids, up to this many (answered by the column store only). */
  withFirstIds?: number;
  extraWhere?: SQL[];
};

/**
 * Per-group figures from the summary tables when a kept grouping set fits the question, else
 * from the in-memory column store (docs/decisions/0006), else (inside a transaction, or with
 * extra SQL conditions) from a scan in SQL. All three give the same answer.
 */
export function groupFigures(db: Db, input: GroupInput): GroupFigures[] {
  if (input.extraWhere?.length) return scanGroupFigures(db, input);
  return summaryFigures(db, input) ?? columnFigures(db, input) ?? scanGroupFigures(db, input);
}

/** The figures from the column store, or null when it is not available (inside a transaction). */
export function columnFigures(db: Db, input: GroupInput): GroupFigures[] | null {
  const groups = columnGroups(db, input);
  // An ungrouped question over nothing has no group, as the scan drops its empty row.
  return (
    groups?.map((g) => ({
      keys: g.keys,
      count: g.count,
      summary: g.figures ? rounded(g.figures, g.count) : { ...COUNTS_ONLY, n_missing: g.count },
      latestYear: input.withLatestYear ? g.latestYear : null,
      ...(input.withFirstIds ? { firstIds: g.firstIds } : {}),
    })) ?? null
  );
}

/** The column store's raw (unrounded) groups in SQL key order, or null inside a transaction. */
function columnGroups(db: Db, input: GroupInput): ColumnGroup[] | null {
  const store = columnsFor(db);
  if (!store) return null;
  const rows = selectEntries(db, store, input.filters);
  const metric = (input.withFigures ?? true) ? metricColumn(db, store, input.metric) : null;
  return aggregateColumns(store, rows, {
    groupBy: input.groupBy,
    metric,
    withLatestYear: input.withLatestYear,
    firstIds: input.withFirstIds,
  }).sort((a, b) => compareSql(a.keys, b.keys));
}

// What the scan answers for a counts-only grouping: SQL's aggregates over NULL.
const COUNTS_ONLY: MetricSummary = { n: 0, n_missing: 0, mean: null, median: null, q1: null, q3: null, min: null, max: null };

/** The figures aggregated inside SQLite over the base tables: the fallback, and the test oracle. */
export function scanGroupFigures(db: Db, input: GroupInput): GroupFigures[] {
  const columns = input.groupBy.map((k) => GROUP_COLUMNS[k]);
  // Without figures the metric is never joined: NULL stands in for its value.
  const withFigures = input.withFigures ?? true;
  const value = withFigures ? measured.value : sql`null`;
  const keyFields = Object.fromEntries(columns.map((c, i) => [`k${i}`, c]));
  const base = db
    .select({
      ...keyFields,
      count: sql<number>`count(*)`,
      n: sql<number>`count(${value})`,
      mean: sql<number | null>`avg(${value})`,
      q1: sql<number | null>`percentile_cont(${value}, 0.25)`,
      median: sql<number | null>`median(${value})`,
      q3: sql<number | null>`percentile_cont(${value}, 0.75)`,
      min: sql<number | null>`min(${value})`,
      max: sql<number | null>`max(${value})`,
      // Only when asked: the year is not in the key's index, so it costs a table read per study.
      latest: input.withLatestYear ? sql<number | null>`max(${studies.year})` : sql<null>`null`,
    })
    .from(studies)
    .$dynamic();
  // Counts only: no metric join at all (a LEFT JOIN ... ON 0 would still scan it per study).
  const filtered = withAccuracy(base, input.filters);
  const withMetric = withFigures ? filtered.leftJoin(measured, and(eq(measured.studyId, studies.id), eq(measured.metric, input.metric))) : filtered;
  const joined = input.groupBy.includes("backbone") ? withMetric.leftJoin(studyBackbones, eq(studyBackbones.studyId, studies.id)) : withMetric;
  const query = joined.where(and(...studyConditions(input.filters), ...(input.extraWhere ?? [])));
  const rows = (columns.length > 0 ? query.groupBy(...columns).orderBy(...columns.map((c) => asc(c))) : query).all() as unknown as Row[];
  return rows
    .filter((r) => r.count > 0) // an aggregate without GROUP BY answers one row even over nothing
    .map((r) => ({
      keys: columns.map((_, i) => r[`k${i}`] ?? null),
      count: r.count,
      summary: {
        n: r.n,
        n_missing: r.count - r.n,
        mean: round(r.mean),
        median: round(r.median),
        q1: round(r.q1),
        q3: round(r.q3),
        min: round(r.min),
        max: round(r.max),
      },
      latestYear: r.latest,
    }));
}

const rounded = (f: RawSummary, count: number): MetricSummary => ({
  n: f.n,
  n_missing: count - f.n,
  mean: round(f.mean),
  median: round(f.median),
  q1: round(f.q1),
  q3: round(f.q3),
  min: round(f.min),
  max: round(f.max),
});

/** The same figures from the summary tables, or null when they cannot answer this question. */
function summaryFigures(
  db: Db,
  input: { filters: StudyFilters; groupBy: readonly GroupKey[]; metric: string; withFigures?: boolean; withLatestYear?: boolean },
): GroupFigures[] | null {
  const constraints = constraintsOf(input.filters);
  if (!constraints) return null;
  const groups = summaryGroups(db, { groupBy: input.groupBy, constraints, metric: input.metric, withFigures: input.withFigures ?? true });
  if (!groups) return null;
  let latest: Map<KeyValue, number | null> | null = null;
  if (input.withLatestYear) {
    if (input.groupBy.length !== 1) return null;
    latest = summaryLatestYear(db, input.groupBy[0]!, constraints);
    if (!latest) return null;
  }
  return groups.map((g) => ({
    keys: g.keys,
    count: g.count,
    summary: rounded(g.figures, g.count),
    latestYear: latest?.get(g.keys[0] ?? null) ?? null,
  }));
}

/** The median of the metric over the matching studies published from one year to another, unrounded. */
export function medianBetweenYears(db: Db, filters: StudyFilters, metric: string, from: number, to: number): number | null {
  const constraints = constraintsOf(filters);
  const fromSummary =
    constraints && summaryGroups(db, { groupBy: [], constraints: [...constraints, { dim: "year", op: "range", from, to }], metric, withFigures: true });
  if (fromSummary) return fromSummary[0]?.figures.median ?? null;
  // From the column store: the filters' selection (already made for the per-year figures), narrowed.
  const store = columnsFor(db);
  if (store) {
    const rows = withinYears(store, selectEntries(db, store, filters), from, to);
    const [all] = aggregateColumns(store, rows, { groupBy: [], metric: metricColumn(db, store, metric) });
    return all?.figures?.median ?? null;
  }
  return (
    withAccuracy(db.select({ m: sql<number | null>`median(${measured.value})` }).from(studies).$dynamic(), filters)
      .innerJoin(measured, and(eq(measured.studyId, studies.id), eq(measured.metric, metric)))
      .where(and(...studyConditions(filters), gte(studies.year, from), lte(studies.year, to)))
      .get()?.m ?? null
  );
}

/** How many different conditions (tasks) the matching studies cover. */
export function countConditions(db: Db, filters: StudyFilters): number {
  const constraints = constraintsOf(filters);
  const fromSummary = constraints && summaryDistinct(db, "condition", constraints);
  if (fromSummary !== null && fromSummary !== undefined) return fromSummary;
  const store = columnsFor(db);
  if (store) {
    const seen = new Uint8Array(store.dicts.condition.values.length);
    const column = store.codes.condition;
    let distinct = 0;
    for (const e of selectEntries(db, store, filters)) {
      if (seen[column[e]!] === 0) {
        seen[column[e]!] = 1;
        distinct++;
      }
    }
    return distinct;
  }
  return (
    withAccuracy(db.select({ n: sql<number>`count(distinct ${studies.condition})` }).from(studies).$dynamic(), filters)
      .where(and(...studyConditions(filters)))
      .get()?.n ?? 0
  );
}
