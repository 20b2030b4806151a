import type { CslItem, ReviewFileSchema } from "../ingest/review-files.js";
import type { z } from "zod";
import type { Columns } from "./columns.js";
import { indexLibrary, type Link, linkCitation } from "./link.js";
import { at, error, hasErrors, type Problem, warning } from "./problems.js";
import type { Library } from "./references.js";
import { type ResultDraft, type RowDraft, readRows } from "./rows.js";
import type { Sheet } from "./sheet.js";

/** A study: the rows that agree on every study column, with a result per metric. */
export type StudyDraft = Omit<RowDraft, "studyKey" | "results"> & { table: string; row: number; results: ResultDraft[]; link: Link | null };

export type Summary = {
  studies: number;
  results: number;
  works: number;
  organs: Record<string, number>;
  metrics: Record<string, number>;
  strategies: Record<string, number>;
};

/** The whole review as it would be written and loaded, and every problem found on the way. */
export type Draft = {
  review: z.input<typeof ReviewFileSchema>;
  table: string;
  studies: StudyDraft[];
  library: CslItem[];
  problems: Problem[];
  summary: Summary;
};

export function buildDraft(input: { sheet: Sheet; columns: Columns; library: Library; reviewId: string; title?: string }): Draft {
  const { sheet, columns, library } = input;
  const title = input.title?.trim() || input.reviewId;
  const review = {
    id: input.reviewId,
    title,
    authors: [],
    affiliations: [],
    submitted: null,
    reviewed: null,
    accepted: null,
    keywords: [],
    citation: title,
    sourceFile: sheet.file,
  };
  const problems = [...sheet.problems, ...columns.problems, ...library.problems];
  // Without its columns no row can be read: the report says which are missing and stops there.
  if (hasErrors(columns.problems) || sheet.header.length === 0) {
    return { review, table: sheet.file, studies: [], library: library.items, problems, summary: summarize([], library.items) };
  }
  if (sheet.rows.length === 0) {
    problems.push(...at([error("bad-file", "no rows under the header: nothing to import")], { file: sheet.file, row: 1 }));
  }
  const read = readRows(sheet, columns);
  problems.push(...read.problems);
  const studies = groupStudies(read.rows, sheet, problems);
  linkStudies(studies, sheet, columns, library, problems);
  return { review, table: sheet.file, studies, library: library.items, problems, summary: summarize(studies, library.items) };
}

/**
 * Rows agreeing on every study column are one study with several results; a row repeating a
 * metric its study already has starts a new study (a second experiment of the same paper), unless
 * it repeats the value too: then it is the same row twice, reported and stored once. The same
 * paper, condition, metric and value in rows that differ elsewhere (another backbone) is kept
 * twice and reported, as it may be a copy with an edited cell.
 */
function groupStudies(rows: RowDraft[], sheet: Sheet, problems: Problem[]): StudyDraft[] {
  const studies: StudyDraft[] = [];
  const open = new Map<string, StudyDraft>();
  const seen = new Map<string, { line: number; studyKey: string }>();
  for (const row of rows) {
    const { studyKey, results, ...cells } = row;
    const fresh: ResultDraft[] = [];
    for (const r of results) {
      const key = JSON.stringify([row.citation, row.condition, r.metric, r.value, r.low, r.high]);
      const before = seen.get(key);
      if (before && before.studyKey === studyKey) {
        problems.push(
          ...at([warning("duplicate-row", `the same ${r.metric} of the same study as line ${before.line}: stored once`)], {
            file: sheet.file,
            row: r.line,
            value: r.printed,
          }),
        );
        continue;
      }
      if (before) {
        const message = `${row.citation}, ${row.condition}, ${r.metric} ${r.printed} as on line ${before.line}, with other study cells: both kept; a copied row?`;
        problems.push(...at([warning("possible-duplicate", message)], { file: sheet.file, row: r.line, value: r.printed }));
      } else seen.set(key, { line: r.line, studyKey });
      fresh.push(r);
    }
    if (fresh.length === 0 && results.length > 0) continue;
    let study = open.get(studyKey);
    if (!study || fresh.some((r) => study!.results.some((s) => s.metric === r.metric))) {
      study = { ...cells, table: sheet.file, row: row.line, results: [], link: null };
      studies.push(study);
      open.set(studyKey, study);
    }
    study.results.push(...fresh);
  }
  return studies;
}

/** Every study's citation resolved to a library item; a reference nobody cites is kept and reported. */
function linkStudies(studies: StudyDraft[], sheet: Sheet, columns: Columns, library: Library, problems: Problem[]) {
  const column = columns.fields.citation === undefined ? "citation" : (sheet.header[columns.fields.citation] ?? "citation");
  const cited = new Set<string>();
  // An unreadable library is one error already; a second per row would bury it.
  if (library.items.length === 0 && hasErrors(library.problems)) return;
  const index = indexLibrary(library.items);
  for (const study of studies) {
    study.link = linkCitation(study.citation, index);
    if (study.link) cited.add(study.link.item.id);
    else {
      const message = `"${study.citation}" is no cite key, DOI or number (1–${library.items.length}) of ${library.file}`;
      problems.push(...at([error("unmatched-citation", message)], { file: sheet.file, row: study.row, column, value: study.citation }));
    }
  }
  library.items.forEach((item, i) => {
    if (cited.has(item.id)) return;
    const message = `${item.id} is cited by no study in ${sheet.file}: kept in the review's references`;
    problems.push(...at([warning("uncited-reference", message)], { file: library.file, row: library.lines[i] ?? null, value: item.id }));
  });
}

function summarize(studies: StudyDraft[], items: CslItem[]): Summary {
  const count = (values: string[]) =>
    Object.fromEntries(
      [...values.reduce((m, v) => m.set(v, (m.get(v) ?? 0) + 1), new Map<string, number>())].sort(([a], [b]) => a.localeCompare(b)),
    );
  return {
    studies: studies.length,
    results: studies.reduce((n, s) => n + s.results.length, 0),
    works: items.length,
    organs: count(studies.map((s) => s.organ)),
    metrics: count(studies.flatMap((s) => s.results.map((r) => r.metric))),
    strategies: count(studies.map((s) => s.strategy || "(none)")),
  };
}
