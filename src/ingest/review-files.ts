import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { z } from "zod";
import { parseTsv } from "./tsv.js";

/** The curated files of one review folder under data/reviews/, validated. */

/** Bump when loading stores something new or differently, so every review folder reloads once. */
export const LOADER_VERSION = 2;

/** A cell that is empty (null) or a number; `integer` also refuses a fraction. */
const numberCell = (integer: boolean) =>
  z.string().transform((s, ctx) => {
    if (s === "") return null;
    const n = Number(s);
    if (integer ? !Number.isInteger(n) : !Number.isFinite(n)) {
      ctx.addIssue({ code: "custom", message: `not ${integer ? "an integer" : "a number"}: ${s}` });
      return z.NEVER;
    }
    return n;
  });
const optionalInt = numberCell(true);

export const ReviewFileSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string().min(1),
  authors: z.array(z.string()),
  affiliations: z.array(z.string()),
  submitted: z.string().nullable(),
  reviewed: z.string().nullable(),
  accepted: z.string().nullable(),
  keywords: z.array(z.string()),
  citation: z.string(),
  sourceFile: z.string(),
});

export const StudyRowSchema = z.object({
  table: z.string().min(1),
  row: optionalInt.pipe(z.number().int().positive()),
  organ: z.string().min(1),
  authors_printed: z.string().min(1),
  year: optionalInt,
  condition_printed: z.string().min(1),
  condition: z.string().min(1),
  // May be empty: an imported sheet need not describe the method in words.
  method_printed: z.string(),
  // A canonical strategy, or (imported sheets only) a printed value the vocabulary has no mapping
  // for, kept as given rather than dropped; "" when none is stated.
  strategy: z.string(),
  backbones: z.string().transform((s) => (s === "" ? [] : s.split(";"))),
  // The curated review's one figure per study; imported reviews put every result in results.tsv.
  accuracy_printed: z.string().default(""),
  // Imported sheets: the cells as printed beside the normalised organ/strategy/backbones. When
  // strategy_printed is present, strategy and backbones are checked against the vocabulary
  // (src/ingest/vocabulary.ts) instead of being derived from the method text.
  organ_printed: z.string().optional(),
  strategy_printed: z.string().optional(),
  backbones_printed: z.string().optional(),
  modality: z.string().optional(),
  dataset: z.string().optional(),
  sample_size: optionalInt.optional(),
});
export type StudyRow = z.infer<typeof StudyRowSchema>;

export const SCALES = ["percent", "fraction"] as const;
export type Scale = (typeof SCALES)[number];

const optionalNumber = numberCell(false);

/**
 * results.tsv: every reported figure of a study (table, row), already normalised: `metric` is the
 * canonical name, `value`/`low`/`high` are on the metric's `scale` (empty for a metric with no
 * known range), `printed` and `metric_printed` are the cells as the sheet gave them.
 */
export const ResultRowSchema = z.object({
  table: z.string().min(1),
  row: optionalInt.pipe(z.number().int().positive()),
  metric: z.string().min(1),
  metric_printed: z.string(),
  value: optionalNumber,
  low: optionalNumber,
  high: optionalNumber,
  scale: z.enum([...SCALES, ""]).transform((s) => (s === "" ? null : s)),
  printed: z.string(),
});
export type ResultRow = z.infer<typeof ResultRowSchema>;

/** references.json: CSL-JSON items (as citation-js reads BibTeX, RIS or CSL-JSON); `id` is the cite key. */
export const CslItemSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  type: z.string().optional(),
  title: z.string().optional(),
  DOI: z.string().optional(),
  URL: z.string().optional(),
});
export type CslItem = z.infer<typeof CslItemSchema>;

export const ReferenceRowSchema = z.object({
  position: optionalInt.pipe(z.number().int().positive()),
  printed_number: optionalInt,
  raw: z.string(),
  off_topic_reason: z.string(),
});
export type ReferenceRow = z.infer<typeof ReferenceRowSchema>;

export const OverrideRowSchema = z.object({
  position: optionalInt.pipe(z.number().int().positive()),
  field: z.enum(["authors", "title", "venue", "volume", "issue", "pages", "year"]),
  value: z.string(),
  reason: z.string().min(1),
});
export type OverrideRow = z.infer<typeof OverrideRowSchema>;

export const CitationRowSchema = z.object({
  table: z.string().min(1),
  row: optionalInt.pipe(z.number().int().positive()),
  printed_number: optionalInt,
  reference_number: optionalInt,
  reference_position: optionalInt,
  // Imported reviews: the id (cite key) of the item in references.json the study cites.
  reference_id: z.string().optional(),
  confidence: z.enum(["high", "medium", "low"]),
  status: z.enum(["linked", "uncertain"]),
  evidence: z.string().transform((s) => s.split(";").map((e) => e.trim()).filter(Boolean)),
  reason: z.string(),
});
export type CitationRow = z.infer<typeof CitationRowSchema>;

export const CorrectionRowSchema = z.object({
  location: z.string().min(1),
  field: z.string().min(1),
  printed: z.string().min(1),
  corrected: z.string().min(1),
  reason: z.string().min(1),
});

export const MethodRowSchema = z
  .object({ slug: z.string().min(1), name: z.string().min(1), source: z.string().min(1) })
  .catchall(z.string());

export type ReviewFiles = {
  dir: string;
  hash: string;
  review: z.infer<typeof ReviewFileSchema>;
  studies: StudyRow[];
  /** results.tsv; empty for the curated format, whose one figure per study is accuracy_printed. */
  results: ResultRow[];
  references: ReferenceRow[];
  /** references.json (CSL-JSON), the reference library of an imported review. */
  library: CslItem[];
  overrides: OverrideRow[];
  citations: CitationRow[];
  corrections: z.infer<typeof CorrectionRowSchema>[];
  methods: { kind: string; rows: z.infer<typeof MethodRowSchema>[] }[];
};

/** The file names of a review folder; all but review.json and studies.tsv may be absent. */
export const REVIEW_FILES = {
  review: "review.json",
  studies: "studies.tsv",
  results: "results.tsv",
  references: "references.tsv",
  library: "references.json",
  overrides: "reference-overrides.tsv",
  citations: "citation_links.tsv",
  corrections: "corrections.tsv",
  methods: "methods",
} as const;

/** A problem in a review folder, named by file and line, so one report can list them all. */
export class ReviewFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.join("; ")}`);
  }
}

function rows<T extends z.ZodType>(schema: T, path: string, text: string | null): z.infer<T>[] {
  if (text === null) return [];
  let records: Record<string, string>[];
  try {
    records = parseTsv(text);
  } catch (e) {
    throw new ReviewFileError(path, [(e as Error).message]);
  }
  const problems: string[] = [];
  const out = records.map((r, i) => {
    const parsed = schema.safeParse(r);
    if (!parsed.success) {
      problems.push(`line ${i + 2}: ${parsed.error.issues.map((x) => `${x.path.join(".")} ${x.message}`).join(", ")}`);
      return undefined;
    }
    return parsed.data;
  });
  if (problems.length > 0) throw new ReviewFileError(path, problems);
  return out as z.infer<T>[];
}

/** What reads a review folder's files in one order and hashes each as it is read. */
function folderReader(dir: string) {
  const hash = createHash("sha256");
  // The loader's version is hashed in too: a start after a change to what loading stores
  // reloads every review once, so no row keeps a shape an older loader gave it.
  hash.update(`loader:${LOADER_VERSION}`);
  const read = (p: string, optional = false): string | null => {
    if (optional && !existsSync(p)) return null;
    let text: string;
    try {
      // Fatal: a byte that is not UTF-8 stops this review with its file named, never a U+FFFD stored.
      text = new TextDecoder("utf-8", { fatal: true }).decode(readFileSync(p)).replace(/^\uFEFF/, "");
    } catch (e) {
      throw new ReviewFileError(p, [(e as Error).message]);
    }
    hash.update(p.slice(dir.length)).update(text);
    return text;
  };
  const path = (f: string) => join(dir, f);
  /** Every file after review.json, in the order the hash takes them. */
  const readRest = () => {
    const texts = {
      studies: read(path(REVIEW_FILES.studies)),
      results: read(path(REVIEW_FILES.results), true),
      references: read(path(REVIEW_FILES.references), true),
      library: read(path(REVIEW_FILES.library), true),
      overrides: read(path(REVIEW_FILES.overrides), true),
      citations: read(path(REVIEW_FILES.citations), true),
      corrections: read(path(REVIEW_FILES.corrections), true),
    };
    const methodsDir = path(REVIEW_FILES.methods);
    const methodFiles = existsSync(methodsDir) ? readdirSync(methodsDir).filter((f) => f.endsWith(".tsv")).sort() : [];
    return { texts, methodsDir, methodTexts: methodFiles.map((f) => [f, read(join(methodsDir, f))] as const) };
  };
  return { hash, read, path, readRest };
}

/**
 * The hash readReviewFiles would give the folder, without parsing it: parsing every row is most
 * of what a start spends on an unchanged review. Null when a file cannot be read.
 */
export function reviewFilesHash(dir: string): string | null {
  try {
    const { hash, read, path, readRest } = folderReader(dir);
    read(path(REVIEW_FILES.review));
    readRest();
    return hash.digest("hex");
  } catch {
    return null;
  }
}

/** Reads every file of a review folder; the hash covers them all, so any edit reloads the review. */
export function readReviewFiles(dir: string): ReviewFiles {
  const { hash, read, path, readRest } = folderReader(dir);
  const reviewText = read(path(REVIEW_FILES.review)) ?? "";
  let review: z.infer<typeof ReviewFileSchema>;
  try {
    review = ReviewFileSchema.parse(JSON.parse(reviewText));
  } catch (e) {
    throw new ReviewFileError(path(REVIEW_FILES.review), [e instanceof z.ZodError ? z.prettifyError(e) : (e as Error).message]);
  }
  const { texts, methodsDir, methodTexts } = readRest();
  return {
    dir,
    hash: hash.digest("hex"),
    review,
    studies: rows(StudyRowSchema, path(REVIEW_FILES.studies), texts.studies),
    results: rows(ResultRowSchema, path(REVIEW_FILES.results), texts.results),
    references: rows(ReferenceRowSchema, path(REVIEW_FILES.references), texts.references),
    library: readLibrary(path(REVIEW_FILES.library), texts.library),
    overrides: rows(OverrideRowSchema, path(REVIEW_FILES.overrides), texts.overrides),
    citations: rows(CitationRowSchema, path(REVIEW_FILES.citations), texts.citations),
    corrections: rows(CorrectionRowSchema, path(REVIEW_FILES.corrections), texts.corrections),
    methods: methodTexts.map(([f, text]) => ({
      kind: basename(f, ".tsv"),
      rows: rows(MethodRowSchema, join(methodsDir, f), text),
    })),
  };
}

function readLibrary(path: string, text: string | null): CslItem[] {
  if (text === null) return [];
  try {
    return z.array(CslItemSchema).parse(JSON.parse(text));
  } catch (e) {
    throw new ReviewFileError(path, [e instanceof z.ZodError ? z.prettifyError(e) : (e as Error).message]);
  }
}

/** Each sub-folder of the data directory that holds a review.json is one review. */
export function listReviewDirs(dataDir: string): string[] {
  return readdirSync(dataDir, { withFileTypes: true })
    // A dot-folder is an import's scratch copy (being written, or the one it replaces), never a review.
    .filter((d) => d.isDirectory() && !d.name.startsWith("."))
    .map((d) => join(dataDir, d.name))
    .filter((d) => readdirSync(d).includes(REVIEW_FILES.review))
    .sort();
}
