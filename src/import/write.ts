import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildReview, ReviewDataError } from "../ingest/build.js";
import { REVIEW_FILES, ReviewFileError, readReviewFiles } from "../ingest/review-files.js";
import type { Draft } from "./draft.js";
import { at, error, type Problem, warning } from "./problems.js";

type Cell = string | number | null;

const STUDY_COLUMNS = [
  "table",
  "row",
  "organ",
  "organ_printed",
  "authors_printed",
  "year",
  "condition_printed",
  "condition",
  "method_printed",
  "strategy",
  "strategy_printed",
  "backbones",
  "backbones_printed",
  "modality",
  "dataset",
  "sample_size",
] as const;
const RESULT_COLUMNS = ["table", "row", "metric", "metric_printed", "value", "low", "high", "scale", "printed"] as const;
const CITATION_COLUMNS = [
  "table",
  "row",
  "printed_number",
  "reference_number",
  "reference_position",
  "reference_id",
  "confidence",
  "status",
  "evidence",
  "reason",
] as const;

/**
 * The review folder's files as text, in the curated format of src/ingest/review-files.ts. A tab
 * or line break inside a cell would split it in the project's TSV reader, so each is replaced by a
 * space and reported (the sheet keeps the original).
 */
export function renderFolder(draft: Draft): { files: Record<string, string>; problems: Problem[] } {
  const problems: Problem[] = [];
  const tsv = <C extends string>(file: string, columns: readonly C[], rows: { line: number; cells: Record<C, Cell> }[]) => {
    const lines = rows.map(({ line, cells }) =>
      columns
        .map((c) => {
          const text = cells[c] === null ? "" : String(cells[c]);
          if (!/[\t\r\n]/.test(text)) return text;
          const message = `a tab or line break in ${c} is written as a space in ${file}`;
          problems.push(...at([warning("cleaned-cell", message)], { file: draft.table, row: line, column: c, value: text }));
          return text.replace(/[\t\r\n]+/g, " ");
        })
        .join("\t"),
    );
    return `${[columns.join("\t"), ...lines].join("\n")}\n`;
  };
  const studies = draft.studies.map((s) => ({
    line: s.row,
    cells: {
      table: s.table,
      row: s.row,
      organ: s.organ,
      organ_printed: s.organ_printed,
      authors_printed: s.citation,
      year: s.year,
      condition_printed: s.condition_printed,
      condition: s.condition,
      method_printed: s.method_printed,
      strategy: s.strategy,
      strategy_printed: s.strategy_printed,
      // Joined by ";" both: the loader pairs each name with the name as printed, in order.
      backbones: s.backbones.join(";"),
      backbones_printed: s.backbones_printed.join(";"),
      modality: s.modality,
      dataset: s.dataset,
      sample_size: s.sample_size,
    },
  }));
  const results = draft.studies.flatMap((s) =>
    s.results.map((r) => ({
      line: r.line,
      cells: { table: s.table, row: s.row, metric: r.metric, metric_printed: r.metric_printed, value: r.value, low: r.low, high: r.high, scale: r.scale, printed: r.printed },
    })),
  );
  const citations = draft.studies.map((s) => ({
    line: s.row,
    cells: {
      table: s.table,
      row: s.row,
      printed_number: s.link?.printedNumber ?? null,
      reference_number: null,
      reference_position: null,
      reference_id: s.link?.item.id ?? "",
      confidence: "high",
      status: "linked",
      evidence: s.link?.evidence ?? "",
      reason: "",
    },
  }));
  return {
    files: {
      [REVIEW_FILES.review]: `${JSON.stringify(draft.review, null, 2)}\n`,
      [REVIEW_FILES.studies]: tsv(REVIEW_FILES.studies, STUDY_COLUMNS, studies),
      [REVIEW_FILES.results]: tsv(REVIEW_FILES.results, RESULT_COLUMNS, results),
      [REVIEW_FILES.citations]: tsv(REVIEW_FILES.citations, CITATION_COLUMNS, citations),
      [REVIEW_FILES.library]: `${JSON.stringify(draft.library, null, 2)}\n`,
    },
    problems,
  };
}

/**
 * Writes the folder `<dataDir>/<id>/` whole or not at all: into a hidden sibling first, then
 * renamed into place. Linux cannot rename over a non-empty folder, so an existing one is moved
 * aside first and removed after; `restore()` puts it back if loading the new one fails.
 */
export function writeFolder(dataDir: string, id: string, files: Record<string, string>): { dir: string; commit(): void; restore(): void } {
  mkdirSync(dataDir, { recursive: true });
  const dir = join(dataDir, id);
  const stamp = `${process.pid}-${Date.now()}`;
  const temp = join(dataDir, `.${id}.new-${stamp}`);
  const old = join(dataDir, `.${id}.old-${stamp}`);
  mkdirSync(temp);
  try {
    // review.json last: a folder is a review only once it holds one.
    const names = Object.keys(files).sort((a, b) => Number(a === REVIEW_FILES.review) - Number(b === REVIEW_FILES.review));
    for (const name of names) writeFileSync(join(temp, name), files[name]!);
    if (existsSync(dir)) renameSync(dir, old);
    renameSync(temp, dir);
  } catch (e) {
    rmSync(temp, { recursive: true, force: true });
    if (existsSync(old) && !existsSync(dir)) renameSync(old, dir);
    throw e;
  }
  return {
    dir,
    commit: () => rmSync(old, { recursive: true, force: true }),
    restore: () => {
      rmSync(dir, { recursive: true, force: true });
      if (existsSync(old)) renameSync(old, dir);
    },
  };
}

/**
 * Reads the files back with the loader's own reader and builder, in a scratch folder outside the
 * data directory: whatever the loader would refuse is reported before anything is written (a dry
 * run, or a write with no database to load into).
 */
export function checkFolder(files: Record<string, string>, file: string): Problem[] {
  const dir = mkdtempSync(join(tmpdir(), "litreview-check-"));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    buildReview(readReviewFiles(dir));
    return [];
  } catch (e) {
    const problems = refusal(e, dir, file);
    if (!problems) throw e;
    return problems;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The loader's refusal of a folder as report problems; null for any other failure, which is the caller's to throw. */
export function refusal(e: unknown, dir: string, file: string): Problem[] | null {
  if (!(e instanceof ReviewFileError || e instanceof ReviewDataError)) return null;
  const where = e instanceof ReviewFileError ? `${e.file.slice(dir.length + 1)}: ` : "";
  return e.problems.map((p) => at([error("load-refused", `the loader refuses the written ${where}${p}`)], { file })[0]!);
}
