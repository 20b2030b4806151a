import { eq, inArray } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { citationLinks, studies, studyBackbones, studyResults, works } from "../db/schema.js";
import type { StudyFilters } from "./filters.js";
import { choosePlan, resolveSearch, segmentRows, type Plan, type Row } from "./study-page-plan.js";
import { segmentsAfter, type Keyset, type Sort } from "./study-order.js";
import { countStudies } from "./study-count.js";
import type { Study, StudyDetail } from "./study-schema.js";
import { groupBy } from "./group-by.js";

export { countStudies } from "./study-count.js";

export { SORTS, type Keyset, type Sort, type SortKey } from "./study-order.js";

export type StudyPage = { count: number; results: Study[]; next: Keyset | null };

type PageInput = { filters: StudyFilters; sort: Sort; limit: number; after?: Keyset };

/** One page of studies matching the filters, in keyset order: no OFFSET, so every page costs the same. */
export function listStudies(db: Db, input: PageInput): StudyPage {
  return { count: countStudies(db, input.filters), ...pageOfStudies(db, input) };
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
): { results: Study[]; next: Keyset | null } {
  const search = input.filters.q === undefined ? undefined : resolveSearch(db, input.filters.q);
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
    const own = (resultsOf.get(id) ?? []).map(({ metric, value, low, high, text, scale }) => ({ metric, value, low, high, text, scale }));
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
        accuracy: acc ? { value: acc.value, low: acc.low, high: acc.high, text: acc.text, scale: acc.scale } : null,
        results: own,
        method_text: s.methodText,
        dataset: s.dataset,
        sample_size: s.sampleSize,
        citation: {
          printed: s.printed ?? "",
          reference_id: s.workId ?? null,
          confidence: s.confidence ?? "low",
          status: s.status ?? "uncertain",
          evidence: s.evidence ?? [],
          reason: s.reason ?? null,
        },
        source: { table: s.sourceTable, row: s.sourceRow },
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

