import { and, asc, desc, eq, gt, isNotNull, isNull, lt, type SQL } from "drizzle-orm";
import { studies } from "../db/schema.js";
import { accuracy } from "./filters.js";

export const SORTS = ["id", "year", "-year", "accuracy", "-accuracy", "organ", "-organ"] as const;
export type Sort = (typeof SORTS)[number];
export type SortKey = string | number | null;
/** Where the previous page ended: its last row's sort key and id. */
export type Keyset = { key: SortKey; id: number };

/** The column a sort reads (without its direction). */
export type SortColumn = "id" | "year" | "organ" | "accuracy";
export const sortColumn = (sort: Sort): SortColumn => sort.replace("-", "") as SortColumn;

/**
 * One stretch of the order, read by one query that an index can seek into: the rows with a value
 * for the key (`valued`, ordered by key, then tie), or the rows without one (ordered by id).
 * `keys` says which key values a valued stretch covers: all, only the keyset's, or those beyond it.
 */
export type Segment = { valued: boolean; keys: "all" | "same" | "beyond"; where: SQL | undefined; order: SQL[] };

const KEYS = {
  year: { column: studies.year, tie: studies.id },
  organ: { column: studies.organ, tie: studies.id },
  // Within the stretch that has an accuracy, study_id equals studies.id and is in the index.
  accuracy: { column: accuracy.value, tie: accuracy.studyId },
} as const;

/**
 * The stretches still to read after a keyset position, in order. Ties are broken by id in the
 * sort's direction, so one composite index (key, id) serves both directions. SQLite orders NULL
 * lowest, so a study with no value for the key comes first ascending and last descending.
 * A position inside the valued stretch splits it in two, the rest of its own key (`key = ? AND
 * id > ?`) and the keys beyond it (`key > ?`): each is a plain range of the (key, id) index,
 * where a row value `(key, id) > (?, ?)` makes SQLite seek on the key alone and step over every
 * earlier id of that key (tens of thousands at depth 10,000 of a 1M corpus).
 */
export function segmentsAfter(sort: Sort, after: Keyset | undefined): Segment[] {
  const descending = sort.startsWith("-");
  const dir = descending ? desc : asc;
  const beyond = descending ? lt : gt;
  if (sort === "id") return [{ valued: true, keys: "all", where: after && beyond(studies.id, after.id), order: [dir(studies.id)] }];

  const { column, tie } = KEYS[sortColumn(sort) as keyof typeof KEYS];
  const order = [dir(column), dir(tie)];
  const withValue = (from?: { key: string | number; id: number }): Segment[] =>
    from === undefined
      ? [{ valued: true, keys: "all", where: isNotNull(column), order }]
      : [
          { valued: true, keys: "same", where: and(eq(column, from.key), beyond(tie, from.id)), order },
          { valued: true, keys: "beyond", where: beyond(column, from.key), order },
        ];
  const withoutValue = (fromId?: number): Segment => ({
    valued: false,
    keys: "all",
    where: and(isNull(column), fromId === undefined ? undefined : beyond(studies.id, fromId)),
    order: [dir(studies.id)],
  });

  if (after === undefined) return descending ? [...withValue(), withoutValue()] : [withoutValue(), ...withValue()];
  if (after.key === null) return descending ? [withoutValue(after.id)] : [withoutValue(after.id), ...withValue()];
  const from = { key: after.key, id: after.id };
  return descending ? [...withValue(from), withoutValue()] : withValue(from);
}
