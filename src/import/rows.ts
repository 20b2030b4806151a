import type { Scale } from "../ingest/review-files.js";
import {
  type NormalizedMetric,
  normalizeBackbone,
  normalizeMetric,
  normalizeModality,
  normalizeOrgan,
  normalizeStrategy,
  splitBackbones,
} from "../ingest/vocabulary.js";
import type { Columns, Field } from "./columns.js";
import { at, error, type Finding, type Problem, warning } from "./problems.js";
import type { Sheet, SheetRow } from "./sheet.js";
import { parseUnit, parseValue } from "./values.js";

/** One sheet row read and normalised, every cell's problem placed at its line and column. */
export type ResultDraft = {
  metric: string;
  metric_printed: string;
  value: number | null;
  low: number | null;
  high: number | null;
  scale: Scale | null;
  printed: string;
  line: number;
};

export type RowDraft = {
  line: number;
  /** The printed study cells, trimmed: rows agreeing on all of them describe one study. */
  studyKey: string;
  citation: string;
  organ: string;
  organ_printed: string;
  condition_printed: string;
  condition: string;
  method_printed: string;
  strategy: string;
  strategy_printed: string;
  backbones: string[];
  backbones_printed: string[];
  year: number | null;
  modality: string;
  dataset: string;
  sample_size: number | null;
  results: ResultDraft[];
};

const STUDY_FIELDS: Field[] = ["citation", "organ", "condition", "method", "strategy", "backbone", "modality", "dataset", "year", "n"];

/** Reads each row; a row missing a required cell yields problems and no draft. */
export function readRows(sheet: Sheet, columns: Columns): { rows: RowDraft[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const unmapped = new Map<string, { problem: Problem; count: number }>();
  const rows: RowDraft[] = [];
  for (const row of sheet.rows) {
    const cell = (field: Field) => {
      const index = columns.fields[field];
      return index === undefined ? "" : (row.cells[index] ?? "");
    };
    const place = (field: Field | number, findings: Finding[]) => {
      const index = typeof field === "number" ? field : columns.fields[field];
      const column = index === undefined ? field.toString() : (sheet.header[index] ?? null);
      problems.push(...at(findings, { file: sheet.file, row: row.line, column, value: index === undefined ? null : (row.cells[index] ?? "") }));
    };
    // One warning per unmapped word, at its first row, so a sheet of 500 "Chest" rows reads as one line.
    const vocabulary = (field: Field, kind: string, printed: string, mapped: boolean) => {
      if (mapped || printed.trim() === "") return;
      const key = `${kind}\t${printed.trim()}`;
      const seen = unmapped.get(key);
      if (seen) {
        seen.count++;
        return;
      }
      const before = problems.length;
      place(field, [warning("unmapped-vocabulary", `${kind} "${printed.trim()}" is not in data/vocabulary: kept as printed`)]);
      unmapped.set(key, { problem: problems[before]!, count: 1 });
    };

    let complete = true;
    for (const field of ["citation", "organ", "condition"] as const) {
      if (cell(field).trim() === "") {
        place(field, [error("missing-value", `no ${field}: every row needs one`)]);
        complete = false;
      }
    }
    const year = integer(cell("year"), "year", /^\d{4}$/);
    const n = integer(cell("n"), "sample size", /^\d{1,3}(?:[,\s]\d{3})+$|^\d+$/);
    place("year", year.findings);
    place("n", n.findings);

    const organ = normalizeOrgan(cell("organ"));
    vocabulary("organ", "organ", cell("organ"), organ.mapped);
    const strategy = normalizeStrategy(cell("strategy"));
    vocabulary("strategy", "strategy", cell("strategy"), strategy.mapped);
    const backbonesPrinted = splitBackbones(cell("backbone"));
    const backbones = backbonesPrinted.map((b) => {
      const named = normalizeBackbone(b);
      vocabulary("backbone", "backbone", b, named.mapped);
      return named.value;
    });
    const modality = cell("modality").trim() === "" ? { value: "", mapped: true } : normalizeModality(cell("modality"));
    vocabulary("modality", "modality", cell("modality"), modality.mapped);

    const results = readResults(row, columns, place, vocabulary);
    if (!complete) continue;
    const condition = cell("condition").trim().replace(/\s+/g, " ");
    rows.push({
      line: row.line,
      studyKey: JSON.stringify(STUDY_FIELDS.map((f) => cell(f).trim())),
      citation: cell("citation").trim(),
      organ: organ.value,
      organ_printed: cell("organ"),
      condition_printed: cell("condition"),
      condition: condition.toLowerCase(),
      method_printed: cell("method"),
      strategy: strategy.value,
      strategy_printed: cell("strategy"),
      backbones,
      backbones_printed: backbonesPrinted,
      year: year.value,
      modality: modality.value,
      dataset: cell("dataset").trim(),
      sample_size: n.value,
      results,
    });
  }
  for (const { problem, count } of unmapped.values()) {
    if (count > 1) problem.message += ` (${count} rows)`;
  }
  return { rows, problems };
}

function integer(printed: string, what: string, pattern: RegExp): { value: number | null; findings: Finding[] } {
  const text = printed.trim();
  if (text === "") return { value: null, findings: [] };
  if (!pattern.test(text)) return { value: null, findings: [error("bad-value", `${what} "${text}" is not a whole number`)] };
  return { value: Number(text.replace(/[,\s]/g, "")), findings: [] };
}

type Place = (field: Field | number, findings: Finding[]) => void;
type Vocabulary = (field: Field, kind: string, printed: string, mapped: boolean) => void;

/** A long row's metric and value cells, and a wide row's non-empty metric-named cells. */
function readResults(row: SheetRow, columns: Columns, place: Place, vocabulary: Vocabulary): ResultDraft[] {
  const cells = (i: number | undefined) => (i === undefined ? "" : (row.cells[i] ?? ""));
  const unit = parseUnit(cells(columns.fields.unit));
  place("unit", unit.findings);
  const results: ResultDraft[] = [];
  const read = (metric: NormalizedMetric, metricPrinted: string, printed: string, valueIndex: number, columnUnit: Scale | null) => {
    const parsed = parseValue(printed, metric, unit.unit ?? columnUnit);
    place(valueIndex, parsed.findings);
    if (parsed.findings.some((f) => f.severity === "error")) return;
    const { value, low, high, scale } = parsed;
    results.push({ metric: metric.value, metric_printed: metricPrinted.trim(), value, low, high, scale, printed: printed.trim(), line: row.line });
  };

  const { metric: metricIndex, value: valueIndex } = columns.fields;
  if (metricIndex !== undefined && valueIndex !== undefined) {
    const metricPrinted = cells(metricIndex);
    const printed = cells(valueIndex);
    if (metricPrinted.trim() !== "") {
      const metric = normalizeMetric(metricPrinted);
      vocabulary("metric", "metric", metricPrinted, metric.mapped);
      read(metric, metricPrinted, printed, valueIndex, null);
    } else if (printed.trim() !== "") place("metric", [error("missing-value", `a value (${printed.trim()}) with no metric`)]);
    else if (columns.metricColumns.length === 0) place("metric", [warning("missing-value", "no metric and no value: a study with no result")]);
  }
  for (const column of columns.metricColumns) {
    // A wide sheet leaves the metrics a study did not report empty: not a missing figure.
    if (cells(column.index).trim() !== "") read(column.metric, column.header, cells(column.index), column.index, column.unit);
  }
  return results;
}
