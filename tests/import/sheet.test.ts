import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { decodeText } from "../../src/import/encoding.js";
import { parseDelimited, readSheet, sniffDelimiter } from "../../src/import/sheet.js";
import { draftOf, located, results } from "./helpers.js";

describe("delimited text", () => {
  it("sniffs comma, semicolon and tab; a decimal comma does not fool it", () => {
    expect(sniffDelimiter("a,b,c\n1,2,3\n")).toBe(",");
    expect(sniffDelimiter("a;b;c\n1,5;2,5;3\n")).toBe(";");
    expect(sniffDelimiter("a\tb, c\n1\t2\n")).toBe("\t");
  });

  it("takes Excel's sep= line and counts it as a line", () => {
    const s = parseDelimited("sep=;\na;b\n1,5;2\n", "x.csv");
    expect(s.header).toEqual(["a", "b"]);
    expect(s.rows).toEqual([{ line: 3, cells: ["1,5", "2"] }]);
  });

  it("keeps the spreadsheet line of each row across blank lines, CRLF and quoted line breaks", () => {
    const s = parseDelimited('a,b\r\n1,"x\r\ny"\r\n\r\n3,4\r\n5,6', "x.csv");
    expect(s.rows).toEqual([
      { line: 2, cells: ["1", "x\ny"] },
      { line: 5, cells: ["3", "4"] },
      { line: 6, cells: ["5", "6"] },
    ]);
  });

  it("pads short rows and reports cells past the header", () => {
    const s = parseDelimited("a,b,c\n1\n1,2,3,4\n", "x.csv");
    expect(s.rows[0]).toEqual({ line: 2, cells: ["1", "", ""] });
    expect(located(s.problems)).toEqual(["error bad-value x.csv:3 "]);
  });
});

describe("decodeText", () => {
  it("refuses NUL bytes rather than guessing", () => {
    expect(decodeText(new Uint8Array([0x61, 0, 0x62, 0])).findings[0]).toMatchObject({ severity: "error", code: "encoding" });
  });
  it("reads UTF-16 big-endian with its BOM", () => {
    const bytes = new Uint8Array([0xfe, 0xff, 0, 0x61, 0, 0xe9]);
    expect(decodeText(bytes)).toMatchObject({ text: "aé", encoding: "utf-16be" });
  });
});

describe("xlsx", () => {
  // Written at run time with the same library, so no binary file is committed.
  async function workbook(): Promise<string> {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("Notes").addRow(["nothing here"]);
    const ws = wb.addWorksheet("Extraction");
    ws.addRow([]);
    ws.addRow(["Cite key", "Organ", "Condition", "Metric", "Value", "Year"]);
    ws.addRow(["smith2019", "brain", "tumour", "Accuracy", 0.953, 2019]);
    ws.getCell("E3").numFmt = "0.0%";
    ws.addRow(["jones2020", "Retina", { richText: [{ text: "glau" }, { text: "coma" }] }, "AUC", 0.91, 2020]);
    ws.addRow(["lee2021", "skin", "melanoma", "Accuracy", { formula: "80+0", result: 80 }, 2021]);
    const path = join(mkdtempSync(join(tmpdir(), "litreview-xlsx-")), "sheet.xlsx");
    writeFileSync(path, Buffer.from(await wb.xlsx.writeBuffer()));
    return path;
  }

  it("reads the named worksheet with Excel's row numbers, percentages with their % sign", async () => {
    const path = await workbook();
    const s = await readSheet(path, { sheet: "Extraction" });
    expect(s.problems).toEqual([]);
    expect(s.header).toEqual(["Cite key", "Organ", "Condition", "Metric", "Value", "Year"]);
    expect(s.rows.map((r) => [r.line, r.cells[4]])).toEqual([
      [3, "95.3%"],
      [4, "0.91"],
      [5, "80"],
    ]);
    const d = await draftOf(path, { sheet: "Extraction" });
    expect(d.problems).toEqual([]);
    expect(results(d).map((r) => [r.metric, r.value])).toEqual([
      ["accuracy", 95.3],
      ["auc", 0.91],
      ["accuracy", 80],
    ]);
    expect(d.studies.map((s) => [s.row, s.organ, s.condition, s.year])).toEqual([
      [3, "brain", "tumour", 2019],
      [4, "eye", "glaucoma", 2020],
      [5, "skin", "melanoma", 2021],
    ]);
  });

  it("reads the first worksheet by default, and names the worksheets when --sheet names none of them", async () => {
    const path = await workbook();
    expect((await readSheet(path)).header).toEqual(["nothing here"]);
    const missing = await readSheet(path, { sheet: "Data" });
    expect(missing.problems[0]).toMatchObject({ severity: "error", code: "bad-argument" });
    expect(missing.problems[0]!.message).toContain("Notes, Extraction");
  });
});
