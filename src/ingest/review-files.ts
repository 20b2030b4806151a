import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { z } from "zod";
import { parseTsv } from "./tsv.js";

/** The curated files of one review folder under data/reviews/, validated. */

const optionalInt = z.string().transform((s, ctx) => {
  if (s === "") return null;
  const n = Number(s);
  if (!Number.isInteger(n)) {
    ctx.addIssue({ code: "custom", message: `not an integer: ${s}` });
    return z.NEVER;
  }
  return n;
});

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
  method_printed: z.string().min(1),
  strategy: z.enum(["fine-tuning", "feature-extraction", "combined", ""]),
  backbones: z.string().transform((s) => (s === "" ? [] : s.split(";"))),
  accuracy_printed: z.string(),
});
export type StudyRow = z.infer<typeof StudyRowSchema>;

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
  references: ReferenceRow[];
  overrides: OverrideRow[];
  citations: CitationRow[];
  corrections: z.infer<typeof CorrectionRowSchema>[];
  methods: { kind: string; rows: z.infer<typeof MethodRowSchema>[] }[];
};

function rows<T extends z.ZodType>(schema: T, path: string): z.infer<T>[] {
  return parseTsv(readFileSync(path, "utf8")).map((r, i) => {
    const parsed = schema.safeParse(r);
    if (!parsed.success) throw new Error(`${path} row ${i + 2}: ${parsed.error.message}`);
    return parsed.data;
  });
}

/** Reads every file of a review folder; the hash covers them all, so any edit reloads the review. */
export function readReviewFiles(dir: string): ReviewFiles {
  const hash = createHash("sha256");
  const read = (p: string) => {
    const text = readFileSync(p, "utf8");
    hash.update(p.slice(dir.length)).update(text);
    return text;
  };
  const review = ReviewFileSchema.parse(JSON.parse(read(join(dir, "review.json"))));
  for (const f of ["studies.tsv", "references.tsv", "reference-overrides.tsv", "citation_links.tsv", "corrections.tsv"]) {
    read(join(dir, f));
  }
  const methodsDir = join(dir, "methods");
  const methodFiles = readdirSync(methodsDir).filter((f) => f.endsWith(".tsv")).sort();
  for (const f of methodFiles) read(join(methodsDir, f));
  return {
    dir,
    hash: hash.digest("hex"),
    review,
    studies: rows(StudyRowSchema, join(dir, "studies.tsv")),
    references: rows(ReferenceRowSchema, join(dir, "references.tsv")),
    overrides: rows(OverrideRowSchema, join(dir, "reference-overrides.tsv")),
    citations: rows(CitationRowSchema, join(dir, "citation_links.tsv")),
    corrections: rows(CorrectionRowSchema, join(dir, "corrections.tsv")),
    methods: methodFiles.map((f) => ({
      kind: basename(f, ".tsv"),
      rows: rows(MethodRowSchema, join(methodsDir, f)),
    })),
  };
}

/** Each sub-folder of the data directory that holds a review.json is one review. */
export function listReviewDirs(dataDir: string): string[] {
  return readdirSync(dataDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => join(dataDir, d.name))
    .filter((d) => readdirSync(d).includes("review.json"))
    .sort();
}
