import { z } from "@hono/zod-openapi";
import { and, eq, gte, lte, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { studies, studyResults } from "../db/schema.js";

export const STRATEGIES = ["fine-tuning", "feature-extraction", "combined"] as const;

const text = (description: string, example: string) =>
  z.string().min(1).max(200).optional().openapi({ description, example });
// Query strings arrive as text; coerce, then bound, so "abc", "1e999" and "" are 400s, not NaN.
const number = (description: string, example: number, min: number, max: number, int = false) => {
  const n = z.coerce.number().min(min).max(max);
  return (int ? n.int() : n).optional().openapi({ description, example });
};

/** Every filter that narrows the set of studies; shared by studies, stats, trends and the CLI. */
export const StudyFiltersSchema = z.object({
  review: text("Only studies from this review (its id). Default: every loaded review.", "dlmia-2024"),
  organ: text("Organ, exactly as listed by /v1/stats?group_by=organ (lower case).", "brain"),
  strategy: z
    .enum(STRATEGIES)
    .optional()
    .openapi({ description: "Transfer-learning strategy.", example: "fine-tuning" }),
  backbone: text("Pre-trained backbone, exactly as listed by /v1/stats?group_by=backbone.", "VGG-16"),
  condition: text("Case-insensitive substring of the (normalized) condition.", "tumor"),
  modality: text("Imaging or signal modality, exactly as listed by /v1/stats?group_by=modality.", "MRI"),
  year_from: number("Publication year, inclusive lower bound.", 2018, 1900, 2100, true),
  year_to: number("Publication year, inclusive upper bound.", 2019, 1900, 2100, true),
  accuracy_min: number("Reported accuracy in percent, inclusive lower bound (a range counts by its midpoint).", 90, 0, 100),
  accuracy_max: number("Reported accuracy in percent, inclusive upper bound.", 99, 0, 100),
  q: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .openapi({
      description:
        "Full-text search (SQLite FTS5) over the condition, the method text and the linked work's title and authors. Every word must match; words match as prefixes.",
      example: "mammographic",
    }),
});
export type StudyFilters = z.infer<typeof StudyFiltersSchema>;

/** Whether the filters read the accuracy row, so a query can skip the join when they do not. */
export const filtersUseAccuracy = (f: StudyFilters) => f.accuracy_min !== undefined || f.accuracy_max !== undefined;

/** The accuracy row joined beside each study (null when the study reports none). */
export const accuracy = alias(studyResults, "accuracy");
export const accuracyJoin = and(eq(accuracy.studyId, studies.id), eq(accuracy.metric, "accuracy"));

/**
 * Turns free text into an FTS5 query of quoted prefix terms, so no user input is ever parsed as
 * FTS5 syntax (a stray quote or `NEAR(` would otherwise be an SQL error). Null when no word is left.
 */
export function ftsQuery(q: string): string | null {
  const words = ftsWords(q);
  return words.length === 0 ? null : prefixMatch(words);
}

/** The searchable words of free text (at most 20), as ftsQuery reads them. */
export const ftsWords = (q: string): string[] => q.match(/[\p{L}\p{N}]+/gu)?.slice(0, 20) ?? [];

/** Every word as a quoted prefix term, all required: the match ftsQuery builds from them. */
export const prefixMatch = (words: string[]): string => words.map((w) => `"${w}"*`).join(" ");

/** Escapes LIKE wildcards for `ESCAPE '\\'`; the summaries and the reference search build patterns with it. */
export const likeEscape = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/** The WHERE conditions for a set of filters; every value is a bound parameter. */
export function studyConditions(f: StudyFilters): SQL[] {
  const where: SQL[] = [];
  if (f.review !== undefined) where.push(eq(studies.reviewId, f.review));
  if (f.organ !== undefined) where.push(eq(studies.organ, f.organ));
  if (f.strategy !== undefined) where.push(eq(studies.strategy, f.strategy));
  if (f.modality !== undefined) where.push(eq(studies.modality, f.modality));
  if (f.backbone !== undefined) {
    where.push(sql`exists (select 1 from study_backbones b where b.study_id = ${studies.id} and b.backbone = ${f.backbone})`);
  }
  if (f.condition !== undefined) {
    where.push(sql`${studies.condition} like ${`%${likeEscape(f.condition)}%`} escape '\\'`);
  }
  if (f.year_from !== undefined) where.push(gte(studies.year, f.year_from));
  if (f.year_to !== undefined) where.push(lte(studies.year, f.year_to));
  if (f.accuracy_min !== undefined) where.push(gte(accuracy.value, f.accuracy_min));
  if (f.accuracy_max !== undefined) where.push(lte(accuracy.value, f.accuracy_max));
  if (f.q !== undefined) {
    // No searchable word (e.g. q=!!!) matches nothing rather than everything.
    const match = ftsQuery(f.q);
    where.push(match === null ? sql`0` : sql`${studies.id} in (select rowid from studies_fts where studies_fts match ${match})`);
  }
  return where;
}
