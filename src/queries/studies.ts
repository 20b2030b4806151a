import { and, asc, count, desc, eq, gt, inArray, isNotNull, isNull, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { citationLinks, studies, studyBackbones, studyResults, works } from "../db/schema.js";
import { accuracy, accuracyJoin, studyConditions, type StudyFilters } from "./filters.js";
import type { Study, StudyDetail } from "./study-schema.js";

export const SORTS = ["id", "year", "-year", "accuracy", "-accuracy", "organ", "-organ"] as const;
export type Sort = (typeof SORTS)[number];
export type SortKey = string | number | null;
/** Where the previous page ended: its last row's sort key and id. */
export type Keyset = { key: SortKey; id: number };

const SORT_COLUMNS = { id: studies.id, year: studies.year, accuracy: accuracy.value, organ: studies.organ };

function sortSpec(sort: Sort) {
  const descending = sort.startsWith("-");
  const name = (descending ? sort.slice(1) : sort) as keyof typeof SORT_COLUMNS;
  return { descending, column: SORT_COLUMNS[name] };
}

/**
 * The stretches of the order still to read after a keyset position, each a condition the index
 * can seek to. Ties are broken by id in the sort's direction, so one composite index (key, id)
 * serves both directions. SQLite orders NULL lowest: a study with no value for the key comes
 * first ascending and last descending. Row values `(key, id) > (?, ?)` let SQLite seek, where an
 * OR of the same test would scan from the start; the NULL stretch is a separate query for the
 * same reason.
 */
function segmentsAfter(sort: Sort, after: Keyset | undefined): (SQL | undefined)[] {
  const { descending, column } = sortSpec(sort);
  if (after === undefined) return [undefined];
  const beyond = descending ? lt : gt;
  if (column === studies.id) return [beyond(studies.id, after.id)];
  const nulls = isNull(column);
  if (after.key === null) {
    const restOfNulls = and(nulls, beyond(studies.id, after.id));
    return descending ? [restOfNulls] : [restOfNulls, isNotNull(column)];
  }
  const past = sql`(${column}, ${studies.id}) ${sql.raw(descending ? "<" : ">")} (${after.key}, ${after.id})`;
  return descending ? [past, nulls] : [past];
}

export type StudyPage = { count: number; results: Study[]; next: Keyset | null };

/** One page of studies matching the filters, in keyset order: no OFFSET, so every page costs the same. */
export function listStudies(
  db: Db,
  input: { filters: StudyFilters; sort: Sort; limit: number; after?: Keyset },
): StudyPage {
  const { descending, column } = sortSpec(input.sort);
  const where = studyConditions(input.filters);
  const total =
    db.select({ n: count() }).from(studies).leftJoin(accuracy, accuracyJoin).where(and(...where)).get()?.n ?? 0;
  const order = descending ? desc : asc;
  // One more row than asked tells whether another page follows.
  const rows: { id: number; key: SortKey }[] = [];
  for (const segment of segmentsAfter(input.sort, input.after)) {
    if (rows.length > input.limit) break;
    rows.push(
      ...db
        .select({ id: studies.id, key: column })
        .from(studies)
        .leftJoin(accuracy, accuracyJoin)
        .where(and(...where, segment))
        .orderBy(order(column), order(studies.id))
        .limit(input.limit + 1 - rows.length)
        .all(),
    );
  }
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  const next = rows.length > input.limit && last ? { key: last.key, id: last.id } : null;
  return { count: total, results: hydrateStudies(db, page.map((r) => r.id)), next };
}

function groupBy<T>(xs: T[], key: (x: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const x of xs) out.set(key(x), [...(out.get(key(x)) ?? []), x]);
  return out;
}

/** Builds the full Study shape for a list of ids, in that order, in four queries whatever the count. */
export function hydrateStudies(db: Db, ids: number[]): Study[] {
  if (ids.length === 0) return [];
  const base = db
    .select({
      id: studies.id,
      organ: studies.organ,
      condition: studies.condition,
      strategy: studies.strategy,
      year: studies.year,
      modality: studies.modality,
      methodText: studies.methodText,
      sourceTable: studies.sourceTable,
      sourceRow: studies.sourceRow,
      printed: citationLinks.printed,
      workId: citationLinks.workId,
      confidence: citationLinks.confidence,
      evidence: citationLinks.evidence,
    })
    .from(studies)
    .leftJoin(citationLinks, eq(citationLinks.studyId, studies.id))
    .where(inArray(studies.id, ids))
    .all();
  const backbones = db
    .select()
    .from(studyBackbones)
    .where(inArray(studyBackbones.studyId, ids))
    .orderBy(studyBackbones.studyId, studyBackbones.backbone)
    .all();
  const results = db
    .select()
    .from(studyResults)
    .where(inArray(studyResults.studyId, ids))
    .orderBy(studyResults.studyId, studyResults.metric)
    .all();
  const byId = new Map(base.map((s) => [s.id, s]));
  const backbonesOf = groupBy(backbones, (b) => b.studyId);
  const resultsOf = groupBy(results, (r) => r.studyId);
  return ids.flatMap((id): Study[] => {
    const s = byId.get(id);
    if (!s) return [];
    const own = (resultsOf.get(id) ?? []).map(({ metric, value, low, high, text }) => ({ metric, value, low, high, text }));
    const acc = own.find((r) => r.metric === "accuracy");
    return [
      {
        id: s.id,
        organ: s.organ,
        condition: s.condition,
        strategy: s.strategy,
        backbones: (backbonesOf.get(id) ?? []).map((b) => b.backbone),
        year: s.year,
        modality: s.modality,
        accuracy: acc ? { value: acc.value, low: acc.low, high: acc.high, text: acc.text } : null,
        results: own,
        method_text: s.methodText,
        citation: {
          printed: s.printed ?? "",
          reference_id: s.workId ?? null,
          confidence: s.confidence ?? "low",
          evidence: s.evidence ?? [],
        },
        source: { table: s.sourceTable, row: s.sourceRow },
      },
    ];
  });
}

/** One study with its linked work, or null when there is no such id. */
export function getStudy(db: Db, id: number): StudyDetail | null {
  const [study] = hydrateStudies(db, [id]);
  const review = db.select({ id: studies.reviewId }).from(studies).where(eq(studies.id, id)).get();
  if (!study || !review) return null;
  const work =
    study.citation.reference_id === null
      ? undefined
      : db
          .select({
            id: works.id,
            authors: works.authors,
            year: works.year,
            title: works.title,
            venue: works.venue,
            volume: works.volume,
            issue: works.issue,
            pages: works.pages,
            raw: works.raw,
          })
          .from(works)
          .where(eq(works.id, study.citation.reference_id))
          .get();
  return { ...study, review: review.id, work: work ?? null };
}

