import { z } from "@hono/zod-openapi";
import { and, asc, count, eq, gt, inArray, not, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { citedWorkIds } from "../columns/cited-works.js";
import { columnsFor } from "../columns/registry.js";
import { lowerBound, selectEntries } from "../columns/select.js";
import { citationLinks, studies, workEntries, works } from "../db/schema.js";
import { accuracy, accuracyJoin, filtersUseAccuracy, likeEscape, studyConditions, type StudyFilters } from "./filters.js";
import { groupBy } from "./group-by.js";

/** The marker the ingest keeps at the end of an author list printed with "et al.". */
export const ET_AL = "et al.";

export const REFERENCES_MAX_LIMIT = 500;

/** Opaque keyset cursor: the last id of the page, base64url-encoded so clients do not build it. */
export const ReferencesCursorSchema = z.string().transform((value, ctx) => {
  const decoded = decodeCursor(value);
  if (decoded === null) {
    ctx.addIssue({ code: "custom", message: "is not a cursor this API issued" });
    return z.NEVER;
  }
  return decoded;
});

export const ReferencesFilterSchema = z.object({
  q: z.string().trim().min(1).max(200).optional().openapi({
    description: "Case-insensitive substring of the title, an author or the venue (ASCII letters fold case)",
    example: "transfer learning",
  }),
  year: z.coerce.number().int().min(1000).max(9999).optional().openapi({ description: "Publication year", example: 2019 }),
  cited: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional()
    .openapi({ description: "true: only works a study links to; false: only works no study links to", example: "true" }),
  review: z.string().min(1).max(100).optional().openapi({ description: "Review id", example: "dlmia-2024" }),
});
export type ReferencesFilter = z.infer<typeof ReferencesFilterSchema>;

/**
 * The works to list: the reference filter, and with `citedBy` only the works that a study
 * matching those study filters cites (/v1/studies/references: the references of a view).
 * `scope`: the review whose printed numbers and citing studies each work shows (default `review`).
 */
export type ReferencesSelection = ReferencesFilter & { citedBy?: StudyFilters; scope?: string };

export const ReferencesPageSchema = z.object({
  limit: z.coerce.number().int().min(1).max(REFERENCES_MAX_LIMIT).default(50).openapi({
    description: `Page size (at most ${REFERENCES_MAX_LIMIT})`,
    example: 50,
  }),
  cursor: ReferencesCursorSchema.optional().openapi({
    description: "meta.next_cursor of the previous page",
    type: "string",
  }),
});
export type ReferencesPage = z.infer<typeof ReferencesPageSchema>;

export const ReferenceSchema = z
  .object({
    id: z.number().int().openapi({ example: 8 }),
    review: z.string().openapi({ description: "The first review that cited it (see reviews for all)", example: "dlmia-2024" }),
    reviews: z.array(z.string()).openapi({
      description: "Every loaded review that cites this work: a work two reviews cite (same DOI, or same first author, year and title) is one work",
      example: ["dlmia-2024"],
    }),
    authors: z.array(z.string()).openapi({ example: ["Cruz-Roa A", "Arévalo J"] }),
    authors_truncated: z.boolean().openapi({ description: 'The printed author list ends with "et al."' }),
    year: z.number().int().nullable().openapi({ example: 2015 }),
    title: z.string(),
    venue: z.string().nullable(),
    volume: z.string().nullable(),
    issue: z.string().nullable(),
    pages: z.string().nullable(),
    type: z.string().openapi({
      description: 'CSL type: from an imported library as given; for a printed list "paper-conference" for entries printed "In: <proceedings>", else "article-journal"',
      example: "article-journal",
    }),
    doi: z.string().nullable().openapi({ example: "10.1109/tmi.2016.2528162" }),
    url: z.string().nullable().openapi({ example: "https://doi.org/10.1109/TMI.2016.2528162" }),
    off_topic: z.boolean().openapi({ description: "Nothing to do with medical imaging (self-citations of the review's authors)" }),
    printed_numbers: z.array(z.number().int().nullable()).openapi({
      description: "Every number the work is printed under, in list order (in the review asked for, else in each citing review); null for an entry printed without a number",
      example: [8, 13],
    }),
    study_ids: z.array(z.number().int()).openapi({ description: "Studies whose citation links to this work (in the review asked for, if any)", example: [1] }),
    raw: z.string().openapi({ description: "The entry as first printed" }),
  })
  .openapi("Reference");
export type Reference = z.infer<typeof ReferenceSchema>;

export type ReferencesResult = { count: number; limit: number; next_cursor: string | null; results: Reference[] };

/** One page of the works matching the filter, in reference-list order (id), with the total count. */
export function listReferences(db: Db, input: ReferencesSelection & ReferencesPage): ReferencesResult {
  const after = input.cursor?.id ?? 0;
  const cited = citedWorks(db, input);
  let total: number;
  let rows: (typeof works.$inferSelect)[];
  if (cited) {
    total = cited.length;
    const from = lowerBound(cited, after, true);
    rows = worksById(db, cited.subarray(from, from + input.limit + 1));
  } else {
    total = countReferences(db, input);
    rows = db
      .select()
      .from(works)
      .where(and(...filterConditions(db, input), gt(works.id, after)))
      .orderBy(asc(works.id))
      .limit(input.limit + 1)
      .all();
  }
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    count: total,
    limit: input.limit,
    next_cursor: rows.length > input.limit && last ? encodeCursor({ id: last.id }) : null,
    results: withEntriesAndLinks(db, page, input.scope ?? input.review),
  };
}

/**
 * The works a view's studies cite, ascending, from the column store (src/columns/cited-works.ts)
 * when it is built and the selection has no filter of the works' own; null otherwise, for SQL.
 */
function citedWorks(db: Db, input: ReferencesSelection): Float64Array | null {
  if (input.citedBy === undefined || input.q !== undefined || input.year !== undefined || input.cited !== undefined || input.review !== undefined) return null;
  const store = columnsFor(db);
  return store ? citedWorkIds(store, selectEntries(db, store, input.citedBy)) : null;
}

/** The works of these ids (at most a page or a batch), ascending. */
function worksById(db: Db, ids: Float64Array): (typeof works.$inferSelect)[] {
  if (ids.length === 0) return [];
  return db.select().from(works).where(inArray(works.id, [...ids])).orderBy(asc(works.id)).all();
}

/** Every matching work, unpaged (tests, the CLI): a download streams iterateReferences instead. */
export function allReferences(db: Db, input: ReferencesSelection): Reference[] {
  return [...iterateReferences(db, input, CHUNK)].flat();
}

/** How many works match the filter (a download's X-Total-Count). */
export function countReferences(db: Db, input: ReferencesSelection): number {
  const cited = citedWorks(db, input);
  if (cited) return cited.length;
  return db.select({ n: count() }).from(works).where(and(...filterConditions(db, input))).get()?.n ?? 0;
}

/**
 * Every matching work in reference-list order, `batch` works at a time (keyset on id), so a
 * download of a large corpus holds one batch in memory, not hundreds of thousands of works. Read
 * the batches in one snapshot (openSnapshot) so together they are one version.
 */
export function* iterateReferences(db: Db, input: ReferencesSelection, batch: number): Generator<Reference[]> {
  const cited = citedWorks(db, input);
  if (cited) {
    for (let from = 0; from < cited.length; from += batch) {
      yield withEntriesAndLinks(db, worksById(db, cited.subarray(from, from + batch)), input.scope ?? input.review);
    }
    return;
  }
  const where = filterConditions(db, input);
  let after = 0;
  for (;;) {
    const rows = db
      .select()
      .from(works)
      .where(and(...where, gt(works.id, after)))
      .orderBy(asc(works.id))
      .limit(batch)
      .all();
    if (rows.length === 0) return;
    yield withEntriesAndLinks(db, rows, input.scope ?? input.review);
    if (rows.length < batch) return;
    after = rows.at(-1)!.id;
  }
}

export function getReference(db: Db, id: number): Reference | null {
  const row = db.select().from(works).where(eq(works.id, id)).get();
  return row ? (withEntriesAndLinks(db, [row])[0] ?? null) : null;
}

function filterConditions(db: Db, input: ReferencesSelection): SQL[] {
  const where: SQL[] = [];
  if (input.citedBy !== undefined) {
    const citing = db.select({ id: citationLinks.workId }).from(citationLinks).innerJoin(studies, eq(studies.id, citationLinks.studyId)).$dynamic();
    const joined = filtersUseAccuracy(input.citedBy) ? citing.leftJoin(accuracy, accuracyJoin) : citing;
    where.push(inArray(works.id, joined.where(and(...studyConditions(input.citedBy)))));
  }
  if (input.review !== undefined) {
    // A review's works are those its entries name, whichever review first loaded the work. As a
    // list read from the entries' review index, not a test of every work: 1–21 ms at 1M against
    // 330 ms for the per-work EXISTS, which walked all the works.
    where.push(sql`${works.id} in (select ${workEntries.workId} from ${workEntries} where ${workEntries.reviewId} = ${input.review})`);
  }
  if (input.year !== undefined) where.push(eq(works.year, input.year));
  if (input.q !== undefined) {
    const pattern = `%${likeEscape(input.q)}%`;
    const like = (column: typeof works.title | typeof works.venue) => sql`${column} like ${pattern} escape '\\'`;
    // Authors are a JSON array: match each name (not the "et al." marker), so `q=","` or `q=[`
    // does not match the JSON punctuation.
    const author = sql`exists (select 1 from json_each(${works.authors}) where json_each.value like ${pattern} escape '\\' and json_each.value <> ${ET_AL})`;
    // The authors' JSON last: OR stops at the first column that matches, and most matches are titles.
    where.push(or(like(works.title), like(works.venue), author) as SQL);
    // The trigram index narrows to the works that could match before the exact test above.
    const grams = trigramMatch(input.q);
    if (grams !== null) where.push(sql`${works.id} in (select rowid from works_search where works_search match ${grams})`);
  }
  if (input.cited !== undefined) {
    // A correlated sub-select: does any study's citation point at this work?
    const linked = sql`exists (select 1 from ${citationLinks} where ${citationLinks.workId} = ${works.id})`;
    where.push(input.cited ? linked : not(linked));
  }
  return where;
}

/**
 * Every run of three characters of the text, each a quoted term, all required: the works whose
 * title, author names or venue (migrations/0007) could hold the text. Null under three
 * characters, which trigrams cannot narrow.
 */
export function trigramMatch(text: string): string | null {
  const chars = Array.from(text);
  if (chars.length < 3) return null;
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i++) grams.add(`"${chars.slice(i, i + 3).join("").replaceAll('"', '""')}"`);
  return [...grams].join(" AND ");
}

// Works per lookup: far below SQLite's 32,766 bound parameters, whatever a download holds.
const CHUNK = 500;

function withEntriesAndLinks(db: Db, rows: (typeof works.$inferSelect)[], review?: string): Reference[] {
  const out: Reference[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    for (const reference of chunkWithEntriesAndLinks(db, rows.slice(i, i + CHUNK), review)) out.push(reference);
  }
  return out;
}

function chunkWithEntriesAndLinks(db: Db, rows: (typeof works.$inferSelect)[], review?: string): Reference[] {
  const ids = rows.map((r) => r.id);
  if (ids.length === 0) return [];
  const allEntries = db
    .select({ workId: workEntries.workId, review: workEntries.reviewId, printed: workEntries.printedNumber })
    .from(workEntries)
    .where(inArray(workEntries.workId, ids))
    .orderBy(asc(workEntries.reviewId), asc(workEntries.position))
    .all();
  const citers = groupBy(allEntries, (e) => e.workId);
  const entries = groupBy(
    allEntries.filter((e) => review === undefined || e.review === review),
    (e) => e.workId,
  );
  const links = groupBy(
    db
      .select({ workId: citationLinks.workId, studyId: citationLinks.studyId })
      .from(citationLinks)
      .innerJoin(studies, eq(studies.id, citationLinks.studyId))
      .where(and(inArray(citationLinks.workId, ids), review === undefined ? undefined : eq(studies.reviewId, review)))
      .orderBy(asc(citationLinks.studyId))
      .all(),
    (l) => l.workId,
  );
  return rows.map((w) => {
    const truncated = w.authors.at(-1) === ET_AL;
    return {
      id: w.id,
      review: w.reviewId,
      reviews: [...new Set((citers.get(w.id) ?? []).map((e) => e.review))],
      authors: truncated ? w.authors.slice(0, -1) : w.authors,
      authors_truncated: truncated,
      year: w.year,
      title: w.title,
      venue: w.venue,
      volume: w.volume,
      issue: w.issue,
      pages: w.pages,
      type: w.type ?? (isConference(w.raw, w.venue) ? "paper-conference" : "article-journal"),
      doi: w.doi,
      url: w.url,
      off_topic: w.offTopic,
      printed_numbers: (entries.get(w.id) ?? []).map((e) => e.printed),
      study_ids: (links.get(w.id) ?? []).map((l) => l.studyId),
      raw: w.raw,
    };
  });
}

/** Entries printed "Title. In: Proceedings ..." or naming a proceedings/conference are conference papers. */
function isConference(raw: string, venue: string | null): boolean {
  return /[.,]["”]?\s+In:?\s+[A-Z0-9]/i.test(raw) || /proceedings|conference|symposium|congress|workshop/i.test(venue ?? "");
}

function encodeCursor(value: { id: number }): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

function decodeCursor(value: string): { id: number } | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    const id = (parsed as { id?: unknown } | null)?.id;
    return typeof id === "number" && Number.isSafeInteger(id) && id >= 0 ? { id } : null;
  } catch {
    return null;
  }
}
