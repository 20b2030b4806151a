import { readFileSync } from "node:fs";
import { basename, extname } from "node:path";
import { parse } from "csv-parse/sync";
import { decodeText } from "./encoding.js";
import { at, error, type Problem } from "./problems.js";
import { readWorkbook } from "./workbook.js";

/** The studies file as a grid of text: its header and its rows, each with the line a spreadsheet shows. */
export type SheetRow = { line: number; cells: string[] };
export type Sheet = { file: string; header: string[]; rows: SheetRow[]; problems: Problem[] };
export const SHEET_FORMATS = ["csv", "tsv", "xlsx"] as const;
export type SheetFormat = (typeof SHEET_FORMATS)[number];

const DELIMITERS = [",", ";", "\t"] as const;

/** Reads a CSV, TSV or XLSX file; the format comes from `format`, else the extension, else the bytes. */
export async function readSheet(path: string, options: { format?: SheetFormat; sheet?: string } = {}): Promise<Sheet> {
  const file = basename(path);
  const bytes = readFileSync(path);
  const ext = extname(path).toLowerCase();
  if (!options.format && ext === ".xls") {
    return empty(file, at([error("bad-file", "an Excel 97–2003 .xls workbook: save it as .xlsx or CSV")], { file }));
  }
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b; // "PK": an .xlsx is a zip archive
  const format = options.format ?? (ext === ".xlsx" || zip ? "xlsx" : ext === ".tsv" || ext === ".tab" ? "tsv" : "csv");
  if (format === "xlsx") return withGrid(file, await readWorkbook(bytes, file, options.sheet));
  if (options.sheet !== undefined) {
    return empty(file, at([error("bad-argument", `--sheet names a worksheet, and ${file} is not a workbook`)], { file }));
  }
  const decoded = decodeText(bytes);
  const problems = at(decoded.findings, { file });
  if (decoded.encoding === null) return empty(file, problems);
  const sheet = parseDelimited(decoded.text, file, format === "tsv" ? "\t" : undefined);
  return { ...sheet, problems: [...problems, ...sheet.problems] };
}

const empty = (file: string, problems: Problem[]): Sheet => ({ file, header: [], rows: [], problems });

/**
 * Delimited text → the grid, through csv-parse (quotes, quoted delimiters and newlines handled as
 * spreadsheets write them). The delimiter is the one given, Excel's "sep=" first line, or sniffed.
 */
export function parseDelimited(text: string, file: string, delimiter?: string): Sheet {
  // One newline convention, so a quoted cell's line breaks count as lines the way editors count them.
  let body = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  let skipped = 0;
  const sep = body.match(/^sep=(.)\n/);
  if (sep) {
    delimiter = sep[1];
    body = body.slice(sep[0].length);
    skipped = 1;
  }
  delimiter ??= sniffDelimiter(body);
  let records: { record: string[]; raw: string }[];
  try {
    records = parse(body, { delimiter, raw: true, relax_column_count: true, relax_quotes: true }) as unknown as typeof records;
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    return empty(file, at([error("bad-file", `not readable as delimited text: ${(e as Error).message}`)], { file, row: line }));
  }
  // A record's line is 1 + the newlines before it; every raw piece is the text as read, so they add up.
  let newlines = skipped;
  const grid: SheetRow[] = [];
  for (const { record, raw } of records) {
    const line = newlines + 1;
    newlines += raw.split("\n").length - 1;
    if (record.every((c) => c.trim() === "")) continue; // blank lines are not rows
    grid.push({ line, cells: record });
  }
  return withGrid(file, { rows: grid, problems: [] });
}

/** Which of comma, semicolon and tab splits the first lines into the most columns, the same number on every line. */
export function sniffDelimiter(text: string): string {
  let best: { delimiter: string; columns: number; consistent: boolean } = { delimiter: ",", columns: 0, consistent: false };
  for (const delimiter of DELIMITERS) {
    let records: string[][];
    try {
      records = parse(text, { delimiter, to_line: 50, relax_column_count: true, relax_quotes: true, skip_empty_lines: true });
    } catch {
      continue;
    }
    const columns = records[0]?.length ?? 0;
    const consistent = records.every((r) => r.length === columns);
    const better = consistent !== best.consistent ? consistent : columns > best.columns;
    if (columns > 1 && better) best = { delimiter, columns, consistent };
  }
  return best.delimiter;
}

/** The first non-empty row is the header; rows are padded to it, and cells past it must be empty. */
function withGrid(file: string, grid: { rows: SheetRow[]; problems: Problem[] }): Sheet {
  const [head, ...rows] = grid.rows;
  if (!head) return empty(file, [...grid.problems, ...at([error("bad-file", "no header row: the file is empty")], { file })]);
  const header = head.cells.map((c) => c.trim());
  while (header.length > 0 && header.at(-1) === "") header.pop();
  const problems = [...grid.problems];
  const out = rows.map(({ line, cells }) => {
    const extra = cells.slice(header.length).filter((c) => c.trim() !== "");
    if (extra.length > 0) {
      problems.push({
        ...error("bad-value", `${cells.length} cells, the header has ${header.length}: a stray delimiter or an unquoted cell?`),
        file,
        row: line,
        column: null,
        value: extra[0] ?? null,
      });
    }
    return { line, cells: header.map((_, i) => cells[i] ?? "") };
  });
  return { file, header, rows: out, problems };
}
