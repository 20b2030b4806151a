import ExcelJS from "exceljs";
import { error, type Problem } from "./problems.js";
import type { SheetRow } from "./sheet.js";

type Grid = { rows: SheetRow[]; problems: Problem[] };

/** An .xlsx workbook's first worksheet (or the one named) → rows of cell text, numbered as Excel numbers them. */
export async function readWorkbook(bytes: Buffer, file: string, sheetName?: string): Promise<Grid> {
  const problem = (message: string, row: number | null = null, column: string | null = null): Problem => ({
    ...error("bad-file", message),
    file,
    row,
    column,
    value: null,
  });
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch (e) {
    return { rows: [], problems: [problem(`not a readable .xlsx workbook: ${(e as Error).message}`)] };
  }
  const names = workbook.worksheets.map((w) => w.name);
  const sheet = sheetName === undefined ? workbook.worksheets[0] : workbook.getWorksheet(sheetName);
  if (!sheet) {
    const message = sheetName === undefined ? "the workbook has no worksheet" : `no worksheet "${sheetName}" (it has: ${names.join(", ")})`;
    return { rows: [], problems: [{ ...problem(message), code: sheetName === undefined ? "bad-file" : "bad-argument" }] };
  }
  const rows: SheetRow[] = [];
  const problems: Problem[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: string[] = [];
    for (let i = 1; i <= row.cellCount; i++) {
      const cell = row.getCell(i);
      const text = cellText(cell.value, cell.numFmt);
      if (text === null) {
        problems.push({ ...problem(`the cell holds an Excel error (${JSON.stringify(cell.value)})`, line, cell.address), code: "bad-value" });
        cells.push("");
      } else cells.push(text);
    }
    if (cells.some((c) => c.trim() !== "")) rows.push({ line, cells });
  });
  return { rows, problems };
}

/**
 * A cell as the sheet shows it. A number formatted as a percentage is stored by Excel as its
 * fraction (0.953 shown as 95.3%): it is given back with its % sign, so the value reader sees the
 * scale the researcher saw. Null for an error cell (#N/A, #DIV/0!).
 */
function cellText(value: ExcelJS.CellValue, numFmt: string | undefined): string | null {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    return numFmt?.includes("%") ? `${Math.round(value * 100 * 1e6) / 1e6}%` : String(value);
  }
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ("error" in value) return null;
  if ("richText" in value) return value.richText.map((r) => r.text).join("");
  if ("formula" in value || "sharedFormula" in value) {
    const result = (value as { result?: ExcelJS.CellValue }).result;
    return result === undefined ? "" : cellText(result, numFmt);
  }
  if ("text" in value) return typeof value.text === "string" ? value.text : cellText(value.text as ExcelJS.CellValue, numFmt);
  return String(value);
}
