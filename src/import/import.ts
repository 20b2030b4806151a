import { existsSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import type { Db } from "../db/client.js";
import { type LoadOutcome, loadReview } from "../ingest/load.js";
import { readReviewFiles } from "../ingest/review-files.js";
import { mapColumns } from "./columns.js";
import { buildDraft } from "./draft.js";
import { at, error, hasErrors, type Problem } from "./problems.js";
import { readReferences } from "./references.js";
import { type ImportReport, makeReport } from "./report.js";
import { readSheet, type SheetFormat } from "./sheet.js";
import { checkFolder, refusal, renderFolder, writeFolder } from "./write.js";

export type ImportOptions = {
  studiesPath: string;
  referencesPath: string;
  reviewId: string;
  title?: string;
  dryRun?: boolean;
  /** Sheet column → field, metric or "ignore" (--map). */
  map?: Record<string, string>;
  format?: SheetFormat;
  sheet?: string;
  /** Where review folders live; the review is written to `<dataDir>/<reviewId>/`. */
  dataDir: string;
  /**
   * Loaded into once written; without it the folder is only written. A function is called only
   * when there is something to load, so a dry run or a failed check never opens the database.
   */
  db?: Db | (() => Db);
};

export type ImportResult = { report: ImportReport; dir?: string; loaded?: LoadOutcome };

export const REVIEW_ID = /^[a-z0-9-]+$/;

/**
 * Reads the sheet and the reference library, checks everything, and, when nothing is an error and
 * this is not a dry run, writes the review folder and loads it. Problems in the data come back in
 * the report, the loader's refusals included; only a failure of the machine (a disk error) throws.
 */
export async function importReview(options: ImportOptions): Promise<ImportResult> {
  const files = { studies: basename(options.studiesPath), references: basename(options.referencesPath) };
  const argumentProblems = REVIEW_ID.test(options.reviewId)
    ? []
    : at([error("bad-argument", `review id "${options.reviewId}" must be lower-case letters, digits and "-"`)], { file: "--review" });
  const sheet = await readSheet(options.studiesPath, { format: options.format, sheet: options.sheet });
  const columns = mapColumns(sheet.header, sheet.file, options.map);
  const library = readReferences(options.referencesPath);
  const draft = buildDraft({ sheet, columns, library, reviewId: options.reviewId, title: options.title });
  const folder = renderFolder(draft);
  const problems = [...argumentProblems, ...overwrites(options, Object.keys(folder.files)), ...draft.problems, ...folder.problems];
  // Loading checks the folder anyway: the scratch check is for when nothing will be loaded.
  if (!hasErrors(problems) && (options.dryRun || !options.db)) problems.push(...checkFolder(folder.files, sheet.file));
  const report = (more: Problem[] = []) =>
    makeReport({ review: options.reviewId, files, dryRun: options.dryRun === true, problems: [...problems, ...more], summary: draft.summary });
  if (hasErrors(problems) || options.dryRun) return { report: report() };

  const db = typeof options.db === "function" ? options.db() : options.db;
  const written = writeFolder(options.dataDir, options.reviewId, folder.files);
  if (!db) {
    written.commit();
    return { report: report(), dir: written.dir };
  }
  try {
    const loaded = loadReview(db, readReviewFiles(written.dir));
    written.commit();
    return { report: report(), dir: written.dir, loaded };
  } catch (e) {
    // The loader refused what was written: the folder goes back to what it was, and the report says why.
    written.restore();
    const refused = refusal(e, written.dir, sheet.file);
    if (!refused) throw e;
    return { report: report(refused) };
  }
}

/**
 * An import replaces its own earlier import, never a folder curated by hand: one holding any file
 * an import does not write (the curated review's references.tsv, corrections, methods) is refused.
 */
function overwrites(options: ImportOptions, names: string[]) {
  const dir = join(options.dataDir, options.reviewId);
  if (!REVIEW_ID.test(options.reviewId) || !existsSync(dir)) return [];
  const foreign = readdirSync(dir).filter((f) => !names.includes(f));
  if (foreign.length === 0) return [];
  const message = `${dir} holds files an import does not write (${foreign.join(", ")}): not replaced; choose another --review`;
  return at([error("bad-argument", message)], { file: "--review", value: options.reviewId });
}
