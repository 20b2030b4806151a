import { existsSync } from "node:fs";
import { z } from "@hono/zod-openapi";
import { importReview, REVIEW_ID } from "../../import/import.js";
import { renderReport } from "../../import/report.js";
import { SHEET_FORMATS } from "../../import/sheet.js";
import { defineCommand, UsageError } from "../command.js";

const file = (what: string) =>
  z
    .string()
    .min(1)
    .refine((p) => existsSync(p), { message: `no such ${what} file` });

export const importCommand = defineCommand({
  name: "import",
  summary: "Import a review: a studies sheet (CSV, TSV, XLSX) and its reference library (BibTeX, RIS, CSL-JSON)",
  example: "litreview import studies.csv --references library.bib --review derm-eye --title 'Transfer learning in dermatology' --dry-run",
  schema: z.object({
    studies: file("studies"),
    references: file("references"),
    review: z.string().regex(REVIEW_ID, "lower-case letters, digits and -"),
    title: z.string().min(1).optional(),
    dry_run: z.boolean().optional(),
    map: z.array(z.string()).optional(),
    format: z.enum(SHEET_FORMATS).optional(),
    sheet: z.string().min(1).optional(),
  }),
  positional: "studies",
  booleans: ["dry_run"],
  repeatable: ["map"],
  /**
   * Prints the report (text, or JSON with --json) and exits 1 when it has errors. The database
   * is opened only once the data is clean and this is not a dry run.
   */
  async run(ctx, input) {
    const map: Record<string, string> = {};
    for (const m of input.map ?? []) {
      const at = m.lastIndexOf("=");
      if (at <= 0 || at === m.length - 1) throw new UsageError(`--map ${m}: write COLUMN=FIELD`);
      map[m.slice(0, at).trim()] = m.slice(at + 1).trim();
    }
    const result = await importReview({
      studiesPath: input.studies,
      referencesPath: input.references,
      reviewId: input.review,
      title: input.title,
      dryRun: input.dry_run,
      map,
      format: input.format,
      sheet: input.sheet,
      dataDir: ctx.dataDir,
      db: () => ctx.db,
    });
    const { report } = result;
    if (ctx.json) ctx.out(JSON.stringify({ ...report, dir: result.dir ?? null, loaded: result.loaded ?? null }, null, 2));
    else (report.valid ? ctx.out : ctx.err)(renderReport(report, { dir: result.dir, loaded: result.loaded !== undefined }));
    if (report.problems.some((p) => p.code === "bad-argument")) ctx.setExitCode(2);
    else if (!report.valid) ctx.setExitCode(1);
  },
});
