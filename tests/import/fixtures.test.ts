import { describe, expect, it } from "vitest";
import { renderFolder } from "../../src/import/write.js";
import { draftOf, errors, located, results } from "./helpers.js";

/** Each bad-input case is its own small file under tests/fixtures/import/, with its named problem. */
describe("values as printed", () => {
  it("decimal commas in a semicolon-delimited file", async () => {
    const d = await draftOf("decimal-comma.csv");
    expect(errors(d)).toEqual([]);
    expect(results(d).map((r) => [r.metric, r.value, r.low, r.high])).toEqual([
      ["accuracy", 95.3, null, null],
      ["auc", 0.953, null, null],
      ["accuracy", 88, null, null],
    ]);
  });

  it("ranges keep both ends and stand by their midpoint", async () => {
    const d = await draftOf("range.csv");
    expect(errors(d)).toEqual([]);
    for (const r of results(d)) expect([r.value, r.low, r.high]).toEqual([96.085, 95.5, 96.67]);
  });

  it("± spreads: the centre, with a warning at the cell", async () => {
    const d = await draftOf("spread.csv");
    expect(results(d).map((r) => r.value)).toEqual([72.1, 0.96, 80]);
    expect(results(d)[0]!.printed).toBe("72.1 ± 0.9%");
    expect(located(d.problems)).toEqual(["warning spread spread.csv:2 Value", "warning spread spread.csv:3 Value"]);
  });

  it("n/a is stored as missing, with a warning", async () => {
    const d = await draftOf("not-reported.csv");
    expect(errors(d)).toEqual([]);
    expect(results(d)[0]).toMatchObject({ metric: "accuracy", value: null, printed: "n/a" });
    expect(located(d.problems)).toEqual(["warning missing-value not-reported.csv:2 Value"]);
  });

  it("an accuracy of 130 % is an error naming the row, column, value and range", async () => {
    const d = await draftOf("accuracy-130.csv");
    expect(errors(d)).toEqual([
      {
        severity: "error",
        code: "out-of-range",
        file: "accuracy-130.csv",
        row: 3,
        column: "Value",
        value: "130%",
        message: "accuracy must be 0–100 %",
      },
    ]);
  });

  it("an AUC of 3 is an error", async () => {
    const d = await draftOf("auc-3.csv");
    expect(located(errors(d))).toEqual(["error out-of-range auc-3.csv:3 Value"]);
  });

  it("AUC 0.991 and 99.1% are the same number; an accuracy of 0.953 is 95.3 % with a warning", async () => {
    const d = await draftOf("auc-scales.csv");
    expect(results(d).map((r) => [r.metric, r.metric_printed, r.value, r.scale])).toEqual([
      ["auc", "AUC", 0.991, "fraction"],
      ["auc", "ROC-AUC", 0.991, "fraction"],
      ["accuracy", "Accuracy", 95.3, "percent"],
    ]);
    expect(located(d.problems)).toEqual(["warning ambiguous-scale auc-scales.csv:4 Value"]);
  });
});

describe("files", () => {
  it("a latin-1 file is read as windows-1252 with a warning, never with replacement characters", async () => {
    const d = await draftOf("latin1.csv");
    expect(located(d.problems)).toEqual(["warning encoding latin1.csv: "]);
    expect(d.problems[0]!.message).toContain("windows-1252");
    expect(d.studies.map((s) => s.condition_printed)).toEqual(["tumeur cérébrale", "rétinopathie", "mélanome"]);
    expect(JSON.stringify(d)).not.toContain("\uFFFD");
  });

  it("a UTF-8 BOM is dropped without a word; UTF-16 with a BOM is converted with a warning", async () => {
    const bom = await draftOf("bom.csv");
    expect(bom.problems).toEqual([]);
    expect(bom.studies[0]!.citation).toBe("smith2019");
    const utf16 = await draftOf("utf16.csv");
    expect(located(utf16.problems)).toEqual(["warning encoding utf16.csv: "]);
    expect(utf16.studies.map((s) => s.citation)).toEqual(["smith2019", "jones2020", "lee2021"]);
  });

  it("tab and semicolon delimiters are detected in a .csv", async () => {
    const tab = await draftOf("tab-delimited.csv");
    expect(tab.problems).toEqual([]);
    expect(tab.studies[0]!.condition_printed).toBe("tumour, glioma");
    const semicolon = await draftOf("decimal-comma.csv");
    expect(semicolon.studies).toHaveLength(3);
  });

  it("a quoted line break: rows keep the line they start on", async () => {
    const d = await draftOf("quoted-newline.csv");
    expect(d.studies.map((s) => s.row)).toEqual([2, 4, 5]);
    expect(d.studies[0]!.condition).toBe("tumour, two lines");
  });

  it("a missing required column names the field and the synonyms tried", async () => {
    const d = await draftOf("missing-organ.csv");
    expect(located(errors(d))).toEqual(["error missing-column missing-organ.csv:1 organ"]);
    expect(errors(d)[0]!.message).toContain("tried: organ, domain, body part, anatomy");
    expect(d.studies).toEqual([]);
  });

  it("--map names a column the synonyms do not know", async () => {
    const d = await draftOf("missing-organ.csv", { map: { Condition: "organ" } });
    expect(located(errors(d))).toEqual(["error missing-column missing-organ.csv:1 condition"]);
  });

  it("a wide sheet: one result per non-empty metric cell, the header's unit applied; unknown columns warned", async () => {
    const d = await draftOf("wide.csv");
    expect(errors(d)).toEqual([]);
    expect(results(d).map((r) => [r.citation, r.metric, r.value])).toEqual([
      ["smith2019", "accuracy", 95.3],
      ["smith2019", "auc", 0.97],
      ["jones2020", "auc", 0.91],
      ["jones2020", "sensitivity", 88.2],
      ["lee2021", "accuracy", 80],
    ]);
    expect(located(d.problems)).toEqual(["warning unknown-column wide.csv:1 Notes"]);
  });
});

describe("citations and rows", () => {
  it("an unmatched citation is an error naming the row", async () => {
    const d = await draftOf("unmatched-citation.csv");
    expect(located(errors(d))).toEqual(["error unmatched-citation unmatched-citation.csv:3 Cite key"]);
    expect(located(d.problems)).toContain("warning uncited-reference refs.bib:12 ");
  });

  it("links by DOI in any spelling and by number in the reference file", async () => {
    const d = await draftOf("by-doi-and-number.csv");
    expect(d.problems).toEqual([]);
    expect(d.studies.map((s) => [s.link?.item.id, s.link?.printedNumber, s.link?.evidence])).toEqual([
      ["smith2019", null, "DOI in the sheet"],
      ["jones2020", null, "DOI in the sheet"],
      ["lee2021", 3, "reference number in the sheet (position in the reference file)"],
    ]);
  });

  it("the same row twice is a duplicate: reported with both lines, stored once", async () => {
    const d = await draftOf("duplicate-row.csv");
    expect(located(d.problems)).toEqual(["warning duplicate-row duplicate-row.csv:3 "]);
    expect(d.problems[0]!.message).toContain("line 2");
    expect(d.summary).toMatchObject({ studies: 3, results: 3 });
  });

  it("rows of one study with other metrics are one study; a repeated metric starts another", async () => {
    const d = await draftOf("several-results.csv");
    expect(d.studies.map((s) => [s.row, s.results.map((r) => `${r.metric} ${r.value}`)])).toEqual([
      [2, ["auc 0.991", "sensitivity 90.3"]],
      [4, ["auc 0.99"]],
      [5, ["accuracy 95"]],
      [6, ["accuracy 80"]],
    ]);
  });

  it("unmapped backbones are kept as printed with their family; specific names stay specific", async () => {
    const d = await draftOf("unmapped-backbone.csv");
    expect(errors(d)).toEqual([]);
    expect(d.studies.map((s) => [s.backbones, s.strategy])).toEqual([
      [["DenseNet-264"], "fine-tuning"],
      [["DenseNet-121"], "fine-tuning"],
      [["ResNet-50", "MyNet"], "feature-extraction"],
    ]);
    expect(located(d.problems)).toEqual([
      "warning unmapped-vocabulary unmapped-backbone.csv:2 Backbone",
      "warning unmapped-vocabulary unmapped-backbone.csv:4 Backbone",
    ]);
  });
});

describe("reference libraries", () => {
  it("an entry without a title and a key used twice are errors naming the entry and its line", async () => {
    const d = await draftOf("only-one.csv", { references: "no-title.ris" });
    expect(located(errors(d))).toEqual(["error missing-field no-title.ris:9 title", "error duplicate-key no-title.ris:15 id"]);
  });

  it("CSL-JSON is read as it is", async () => {
    const d = await draftOf("only-one.csv", { references: "refs.json" });
    expect(d.problems).toEqual([]);
    expect(d.library[0]).toMatchObject({ id: "smith2019", DOI: "10.1000/test.1", author: [{ family: "Smith", given: "Jane Alice" }] });
  });
});

describe("the written folder", () => {
  it("a line break inside a cell is written as a space and reported, so the TSV stays one row per line", async () => {
    const folder = renderFolder(await draftOf("quoted-newline.csv"));
    // condition itself is whitespace-collapsed already; only the printed text needs cleaning.
    expect(located(folder.problems)).toEqual(["warning cleaned-cell quoted-newline.csv:2 condition_printed"]);
    const studies = folder.files["studies.tsv"]!.trimEnd().split("\n");
    expect(studies).toHaveLength(4);
    expect(studies[1]).toContain("\ttumour, two lines\t");
  });
});

describe("an empty sheet", () => {
  it("a header with no rows is an error, not an empty review", async () => {
    const d = await draftOf("header-only.csv");
    expect(located(errors(d))).toEqual(["error bad-file header-only.csv:1 "]);
  });
});
