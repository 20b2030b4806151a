import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { perConnection } from "../db/prepared.js";
import { citationLinks, studies, studyBackbones, studyResults, works } from "../db/schema.js";
import type { StudyFilters } from "./filters.js";
import { choosePlan, resolveSearch, segmentRows, type Plan, type Row } from "./study-page-plan.js";
import { segmentsAfter, type Keyset, type Sort } from "./study-order.js";
import { COUNT_BOUND, countStudies, countStudiesBounded } from "./study-count.js";
import type { Study, StudyDetail } from "./study-schema.js";
import { groupBy } from "./group-by.js";

export { COUNT_BOUND, countStudies, countStudiesBounded } from "./study-count.js";

export { SORTS, type Keyset, type Sort, type SortKey } from "./study-order.js";

/** `countIsLowerBound`: more than `count` match (a full-text count stops at COUNT_BOUND). */
export type StudyPage = { count: number; countIsLowerBound: boolean; results: Study[]; next: Keyset | null };

type PageInput = { filters: StudyFilters; sort: Sort; limit: number; after?: Keyset };

/** One page of studies matching the filters, in keyset order: no OFFSET, so every page costs the same. */
export function listStudies(db: Db, input: PageInput): StudyPage {
  // The plan may ask for the same count: counted once (each is a summary read or a scan). A lower
  // bound cannot size the plan, which then counts exactly (only `q` with another filter does).
  // The search is resolved once, for the count as for the page: its whole-term form counts up to
  // the bound lazily, where the prefix form first merges every posting of the prefix.
  const search = input.filters.q === undefined ? undefined : resolveSearch(db, input.filters.q);
  const { count, lowerBound } = countStudiesBounded(db, input.filters, COUNT_BOUND, search?.match);
  const matches = () => (lowerBound ? countStudies(db, input.filters) : count);
  return { count, countIsLowerBound: lowerBound, ...pageOfStudies(db, input, matches, search) };
}

/**
 * Every matching study in order, a batch at a time, for exports: each batch is one keyset page,
 * so memory stays at one batch whatever the size of the review.
 */
export function* iterateStudies(db: Db, input: { filters: StudyFilters; sort: Sort; batch: number }): Generator<Study[]> {
  let after: Keyset | undefined;
  // Every batch reads with the same plan, so the match count (which picks it) is asked once.
  let n: number | undefined;
  const matches = () => (n ??= countStudies(db, input.filters));
  do {
    const page = pageOfStudies(db, { filters: input.filters, sort: input.sort, limit: input.batch, after }, matches);
    if (page.results.length > 0) yield page.results;
    after = page.next ?? undefined;
  } while (after !== undefined);
}

/**
 * One page without the count. The plan (study-page-plan.ts) depends on how many studies match,
 * asked only when it matters; a caller that reads many pages of one question passes it in.
 */
export function pageOfStudies(
  db: Db,
  input: PageInput,
  matches = () => countStudies(db, input.filters),
  search = input.filters.q === undefined ? undefined : resolveSearch(db, input.filters.q),
): { results: Study[]; next: Keyset | null } {
  const plan = choosePlan(input.filters, input.sort, input.limit + 1, { matches, total: () => countStudies(db, {}) }, search);
  return pageWithPlan(db, input, plan, search);
}

/** One page read with the given plan; every plan gives the same page (tests/queries/page-plans.test.ts). */
export function pageWithPlan(
  db: Db,
  input: PageInput,
  plan: Plan,
  search = input.filters.q === undefined ? undefined : resolveSearch(db, input.filters.q),
): { results: Study[]; next: Keyset | null } {
  // One more row than asked tells whether another page follows.
  const rows: Row[] = [];
  for (const segment of segmentsAfter(input.sort, input.after)) {
    if (rows.length > input.limit) break;
    rows.push(...segmentRows(db, { filters: input.filters, search, sort: input.sort, plan, segment, limit: input.limit + 1 - rows.length, after: input.after }));
  }
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  const next = rows.length > input.limit && last ? { key: last.key, id: last.id } : null;
  return { results: hydrateStudies(db, page.map((r) => r.id)), next };
}

/** The ids of a page as one bound value, so one statement serves every page size. */
const inIds = (column: typeof studies.id | typeof studyBackbones.studyId | typeof studyResults.studyId) =>
  sql`${column} in (select "value" from json_each(${sql.placeholder("ids")}))`;

type S = typeof studies.$inferSelect;
type C = typeof citationLinks.$inferSelect;
type R = typeof studyResults.$inferSelect;
// Rows as better-sqlite3 returns them in raw mode, in the order of the selects below.
type BaseRow = [S["id"], S["organ"], S["condition"], S["strategy"], S["year"], S["modality"], S["methodText"], S["dataset"], S["sampleSize"], S["sourceTable"], S["sourceRow"],
  C["printed"] | null, C["workId"] | null, C["confidence"] | null, C["status"] | null, string | null, C["reason"] | null];
type BackboneRow = [number, string];
type ResultRow = [number, R["metric"], R["value"], R["low"], R["high"], R["text"], R["scale"]];

/**
 * The page's hottest statements (issue 12), as SQL text drizzle writes once per connection from the
 * schema. They run straight on better-sqlite3 in raw mode: drizzle's per-call build and its
 * per-cell row mapping were most of a page's time besides SQLite's own work.
 */
const hydration = perConnection((db) => ({
  base: db
    .select({
      id: studies.id,
      organ: studies.organ,
      condition: studies.condition,
      strategy: studies.strategy,
      year: studies.year,
      modality: studies.modality,
      methodText: studies.methodText,
      dataset: studies.dataset,
      sampleSize: studies.sampleSize,
      sourceTable: studies.sourceTable,
      sourceRow: studies.sourceRow,
      printed: citationLinks.printed,
      workId: citationLinks.workId,
      confidence: citationLinks.confidence,
      status: citationLinks.status,
      evidence: citationLinks.evidence,
      reason: citationLinks.reason,
    })
    .from(studies)
    .leftJoin(citationLinks, eq(citationLinks.studyId, studies.id))
    .where(inIds(studies.id))
    .toSQL().sql,
  backbones: db
    .select({ studyId: studyBackbones.studyId, backbone: studyBackbones.backbone })
    .from(studyBackbones)
    .where(inIds(studyBackbones.studyId))
    .orderBy(studyBackbones.studyId, studyBackbones.backbone)
    .toSQL().sql,
  results: db
    .select({
      studyId: studyResults.studyId,
      metric: studyResults.metric,
      value: studyResults.value,
      low: studyResults.low,
      high: studyResults.high,
      text: studyResults.text,
      scale: studyResults.scale,
    })
    .from(studyResults)
    .where(inIds(studyResults.studyId))
    .orderBy(studyResults.studyId, studyResults.metric)
    .toSQL().sql,
}));

/** Builds the full Study shape for a list of ids, in that order, in three queries whatever the count. */
export function hydrateStudies(db: Db, ids: number[]): Study[] {
  if (ids.length === 0) return [];
  const text = hydration(db);
  // Prepared through the connection's statement cache (db/statement-cache.ts): compiled once.
  const rows = <T>(source: string) => db.$client.prepare(source).raw().all(JSON.stringify(ids)) as T[];
  const base = rows<BaseRow>(text.base);
  const backbonesOf = groupBy(rows<BackboneRow>(text.backbones), (b) => b[0]);
  const resultsOf = groupBy(rows<ResultRow>(text.results), (r) => r[0]);
  const byId = new Map(base.map((s) => [s[0], s]));
  return ids.flatMap((id): Study[] => {
    const s = byId.get(id);
    if (!s) return [];
    const [, organ, condition, strategy, year, modality, methodText, dataset, sampleSize, sourceTable, sourceRow, printed, workId, confidence, status, evidence, reason] = s;
    const own = (resultsOf.get(id) ?? []).map(([, metric, value, low, high, text, scale]) => ({ metric, value, low, high, text, scale }));
    const acc = own.find((r) => r.metric === "accuracy");
    return [
      {
        id,
        organ,
        condition,
        strategy,
        backbones: (backbonesOf.get(id) ?? []).map((b) => b[1]),
        year,
        modality,
        accuracy: acc ? { value: acc.value, low: acc.low, high: acc.high, text: acc.text, scale: acc.scale } : null,
        results: own,
        method_text: methodText,
        dataset,
        sample_size: sampleSize,
        citation: {
          printed: printed ?? "",
          reference_id: workId ?? null,
          confidence: confidence ?? "low",
          status: status ?? "uncertain",
          // Stored as JSON text (drizzle's json mode), read here without drizzle's mapping.
          evidence: evidence === null ? [] : (JSON.parse(evidence) as string[]),
          reason: reason ?? null,
        },
        source: { table: sourceTable, row: sourceRow },
      },
    ];
  });
}

/** One study with its linked work, or null when there is no such id. */
export function getStudy(db: Db, id: number): StudyDetail | null {
  const [study] = hydrateStudies(db, [id]);
  const review = db
    .select({ id: studies.reviewId, organ: studies.organPrinted, strategy: studies.strategyPrinted })
    .from(studies)
    .where(eq(studies.id, id))
    .get();
  if (!study || !review) return null;
  const backbones = db
    .select({ name: studyBackbones.backbone, family: studyBackbones.family, printed: studyBackbones.printed })
    .from(studyBackbones)
    .where(eq(studyBackbones.studyId, id))
    .orderBy(studyBackbones.backbone)
    .all();
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
            doi: works.doi,
            url: works.url,
          })
          .from(works)
          .where(eq(works.id, study.citation.reference_id))
          .get();
  return { ...study, review: review.id, printed: { organ: review.organ, strategy: review.strategy, backbones }, work: work ?? null };
}

