import type { Scale } from "../ingest/review-files.js";
import { matchKey, type NormalizedMetric, normalizeMetric } from "../ingest/vocabulary.js";
import { at, error, type Problem, warning } from "./problems.js";

/** What litreview reads from a studies sheet, and the column names it recognises for each. */
export const FIELD_SYNONYMS = {
  citation: ["citation", "cite key", "cite_key", "citekey", "bibtex key", "key", "doi", "reference", "ref", "ref no", "reference number", "study id", "study", "paper"],
  organ: ["organ", "domain", "body part", "anatomy", "anatomical site", "anatomical region", "body region", "organ system"],
  condition: ["condition", "disease", "task", "target", "target condition", "diagnosis", "disorder", "clinical task"],
  method: ["method", "methods", "approach", "description", "method description"],
  strategy: ["strategy", "transfer", "transfer learning", "tl strategy", "transfer strategy", "transfer learning strategy"],
  backbone: ["backbone", "backbones", "architecture", "model", "network", "cnn", "base model", "pretrained model", "pre-trained model"],
  year: ["year", "publication year", "pub year", "year published"],
  metric: ["metric", "measure", "outcome measure", "performance metric", "evaluation metric"],
  value: ["value", "score", "result", "performance", "metric value"],
  unit: ["unit", "units", "scale"],
  modality: ["modality", "imaging modality", "image type", "image modality"],
  dataset: ["dataset", "data set", "test set", "data source", "database"],
  n: ["n", "sample size", "images", "patients", "number of images", "number of patients", "sample"],
} as const;
export type Field = keyof typeof FIELD_SYNONYMS;
export const FIELDS = Object.keys(FIELD_SYNONYMS) as Field[];
const REQUIRED: Field[] = ["organ", "condition", "citation"];

/** A "wide" sheet's metric-named column (Accuracy, AUC, …): one result per non-empty cell. */
export type MetricColumn = { index: number; header: string; metric: NormalizedMetric; unit: Scale | null };
export type Columns = { fields: Partial<Record<Field, number>>; metricColumns: MetricColumn[]; problems: Problem[] };

const BY_KEY = new Map<string, Field>(FIELDS.flatMap((f) => FIELD_SYNONYMS[f].map((s) => [matchKey(s), f] as const)));

// "Accuracy (%)", "AUC [0-1]": the unit in brackets tells the scale of the whole column.
const UNIT_SUFFIX = /\s*[([]\s*(%|percent|0\s*[-–]\s*1|fraction)\s*[)\]]\s*$/i;

function headerUnit(header: string): { name: string; unit: Scale | null } {
  const m = header.match(UNIT_SUFFIX);
  if (!m) return { name: header, unit: null };
  return { name: header.slice(0, m.index), unit: /%|percent/i.test(m[1]!) ? "percent" : "fraction" };
}

/** `--map` targets: a field, "ignore", or a metric for a wide column (`--map "Top-1=accuracy"`). */
export function mapTarget(target: string): { field: Field } | { ignore: true } | { metric: NormalizedMetric } | null {
  const key = matchKey(target);
  if (key === "ignore") return { ignore: true };
  const field = (FIELDS as string[]).includes(target) ? (target as Field) : BY_KEY.get(key);
  if (field) return { field };
  const metric = normalizeMetric(target.replace(/^metric:/i, ""));
  return metric.mapped || /^metric:/i.test(target) ? { metric } : null;
}

/**
 * Names each column of the header: a field, a metric (wide sheets), or unknown (a warning, then
 * ignored). `map` (column → target, from --map) comes first. Errors: a required field without a
 * column (naming the synonyms tried), two columns for one field, a --map naming no column.
 */
export function mapColumns(header: string[], file: string, map: Record<string, string> = {}): Columns {
  const fields: Partial<Record<Field, number>> = {};
  const metricColumns: MetricColumn[] = [];
  const problems: Problem[] = [];
  const explicit = new Map<number, string>();
  for (const [column, target] of Object.entries(map)) {
    const index = header.indexOf(column);
    const found = index >= 0 ? index : header.findIndex((h) => matchKey(h) === matchKey(column));
    if (found < 0) {
      problems.push(...at([error("bad-argument", `--map ${column}=${target}: no column "${column}" (columns: ${header.join(", ")})`)], { file, row: 1, column }));
    } else explicit.set(found, target);
  }

  const taken = new Map<Field, number>();
  const claim = (field: Field, index: number, byMap: boolean) => {
    const before = taken.get(field);
    if (before !== undefined && !byMap) {
      const message = `"${header[index]}" and "${header[before]}" are both read as ${field}: keep one, or --map "${header[index]}=ignore"`;
      problems.push(...at([error("duplicate-column", message)], { file, row: 1, column: header[index] }));
      return;
    }
    taken.set(field, index);
    fields[field] = index;
  };

  const unknown: number[] = [];
  // Columns named by --map first, so an explicit choice wins over a synonym match.
  const order = [...explicit.keys(), ...header.map((_, i) => i).filter((i) => !explicit.has(i))];
  for (const index of order) {
    const printed = header[index] ?? "";
    const target = explicit.get(index);
    if (target !== undefined) {
      const t = mapTarget(target);
      if (t === null) problems.push(...at([error("bad-argument", `--map ${printed}=${target}: "${target}" is not a field (${FIELDS.join(", ")}), a metric or "ignore"`)], { file, row: 1, column: printed }));
      else if ("field" in t) claim(t.field, index, true);
      else if ("metric" in t) metricColumns.push({ index, header: printed, metric: t.metric, unit: headerUnit(printed).unit });
      continue;
    }
    const field = BY_KEY.get(matchKey(printed));
    if (field && taken.has(field) && [...explicit.keys()].includes(taken.get(field)!)) unknown.push(index);
    else if (field) claim(field, index, false);
    else {
      const { name, unit } = headerUnit(printed);
      const metric = normalizeMetric(name);
      if (printed !== "" && metric.mapped) metricColumns.push({ index, header: printed, metric, unit });
      else unknown.push(index);
    }
  }

  for (const index of unknown.sort((a, b) => a - b)) {
    const name = header[index] || `column ${index + 1}`;
    problems.push(...at([warning("unknown-column", `column "${name}" is not one litreview reads: ignored (name it with --map "${name}=FIELD")`)], { file, row: 1, column: name }));
  }
  for (const field of REQUIRED) {
    if (fields[field] === undefined) problems.push(missing(field, file));
  }
  const long = fields.metric !== undefined || fields.value !== undefined;
  if (long && fields.metric === undefined) problems.push(missing("metric", file));
  if (long && fields.value === undefined) problems.push(missing("value", file));
  if (!long && metricColumns.length === 0) {
    problems.push(
      ...at(
        [error("missing-column", `no result: a metric column and a value column (tried: ${[...FIELD_SYNONYMS.metric, ...FIELD_SYNONYMS.value].join(", ")}), or columns named by a metric (Accuracy, AUC, …)`)],
        { file, row: 1 },
      ),
    );
  }
  return { fields, metricColumns, problems };
}

function missing(field: Field, file: string): Problem {
  const message = `no column for ${field} (tried: ${FIELD_SYNONYMS[field].join(", ")}); name one with --map COLUMN=${field}`;
  return at([error("missing-column", message)], { file, row: 1, column: field })[0]!;
}
