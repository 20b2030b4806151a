import { fileURLToPath } from "node:url";
import { mapColumns } from "../../src/import/columns.js";
import { buildDraft, type Draft } from "../../src/import/draft.js";
import type { Problem } from "../../src/import/problems.js";
import { readReferences } from "../../src/import/references.js";
import { readSheet, type SheetFormat } from "../../src/import/sheet.js";

export const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/import/${name}`, import.meta.url));
export const dermEye = (name: string) => fileURLToPath(new URL(`../fixtures/reviews/derm-eye/${name}`, import.meta.url));

/** The pipeline up to the draft, over a fixture: what importReview checks before writing anything. */
export async function draftOf(
  studies: string,
  options: { references?: string; map?: Record<string, string>; format?: SheetFormat; sheet?: string } = {},
): Promise<Draft> {
  const sheet = await readSheet(studies.startsWith("/") ? studies : fixture(studies), { format: options.format, sheet: options.sheet });
  const columns = mapColumns(sheet.header, sheet.file, options.map);
  const refs = options.references ?? "refs.bib";
  const library = readReferences(refs.startsWith("/") ? refs : fixture(refs));
  return buildDraft({ sheet, columns, library, reviewId: "test-review" });
}

/** Problems as "severity code file:row column", the parts a fixture test pins. */
export const located = (problems: Problem[]) => problems.map((p) => `${p.severity} ${p.code} ${p.file}:${p.row ?? ""} ${p.column ?? ""}`);
export const errors = (d: Draft) => d.problems.filter((p) => p.severity === "error");
export const results = (d: Draft) => d.studies.flatMap((s) => s.results.map((r) => ({ citation: s.citation, ...r })));
