import { and, asc, desc, gt, isNotNull, isNull, lt, sql, type SQL } from "drizzle-orm";
import { studies } from "../db/schema.js";
import { accuracy } from "./filters.js";

export const SORTS = ["id", "year", "-year", "accuracy", "-accuracy", "organ", "-organ"] as const;
export type Sort = (typeof SORTS)[number];
export type SortKey = string | number | null;
/** Where the previous page ended: its last row's sort key and id. */
export type Keyset = { key: SortKey; id: number };

/**
 * One stretch of the order, read by one query the index can seek into: the rows with a value
 * for the key (ordered by key, then tie), or the rows without one (ordered by id).
 * `accuracy: "inner"` joins the accuracy row with an INNER JOIN, so SQLite drives the query from
 * the (metric, value, study_id) index instead of scanning every study and sorting.
 */
export type Segment = { where: SQL | undefined; order: SQL[]; accuracy: "inner" | "left" | "none" };

const KEYS = {
  year: { column: studies.year, tie: studies.id },
  organ: { column: studies.organ, tie: studies.id },
  // Within the stretch that has an accuracy, study_id equals studies.id and is in the index.
  accuracy: { column: accuracy.value, tie: accuracy.studyId },
} as const;

/**
 * The stretches still to read after a keyset position, in order. Ties are broken by id in the
 * sort's direction, so one composite index (key, id) serves both directions. SQLite orders NULL
 * lowest, so a study with no value for the key comes first ascending and last descending. Row
 * values `(key, id) > (?, ?)` let SQLite seek where an OR of the same test would scan from the
 * start, which is also why the NULL stretch is a query of its own.
 */
export function segmentsAfter(sort: Sort, after: Keyset | undefined, joinAccuracy: boolean): Segment[] {
  const descending = sort.startsWith("-");
  const dir = descending ? desc : asc;
  const beyond = descending ? lt : gt;
  const plain = joinAccuracy ? "left" : "none";
  if (sort === "id") return [{ where: after && beyond(studies.id, after.id), order: [dir(studies.id)], accuracy: plain }];

  const { column, tie } = KEYS[(descending ? sort.slice(1) : sort) as keyof typeof KEYS];
  const valued = sort.endsWith("accuracy") ? "inner" : plain;
  const withValue = (from?: { key: string | number; id: number }): Segment => ({
    where: and(
      isNotNull(column),
      from && sql`(${column}, ${tie}) ${sql.raw(descending ? "<" : ">")} (${from.key}, ${from.id})`,
    ),
    order: [dir(column), dir(tie)],
    accuracy: valued,
  });
  const withoutValue = (fromId?: number): Segment => ({
    where: and(isNull(column), fromId === undefined ? undefined : beyond(studies.id, fromId)),
    order: [dir(studies.id)],
    accuracy: sort.endsWith("accuracy") ? "left" : plain,
  });

  if (after === undefined) return descending ? [withValue(), withoutValue()] : [withoutValue(), withValue()];
  if (after.key === null) return descending ? [withoutValue(after.id)] : [withoutValue(after.id), withValue()];
  const from = { key: after.key, id: after.id };
  return descending ? [withValue(from), withoutValue()] : [withValue(from)];
}
