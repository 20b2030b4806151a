import { z } from "@hono/zod-openapi";
import type { Reference } from "../queries/references.js";

const CslNameSchema = z.union([
  z.object({ family: z.string(), given: z.string().optional() }),
  z.object({ literal: z.string() }),
]);
type CslName = z.infer<typeof CslNameSchema>;

/** The CSL-JSON fields litreview fills; citation-js turns these into BibTeX and RIS. */
export const CslItemSchema = z
  .object({
    id: z.string().openapi({ example: "work-8" }),
    "citation-key": z.string().openapi({ example: "CruzRoa2015_8" }),
    type: z.string().openapi({ example: "article-journal" }),
    title: z.string(),
    author: z.array(CslNameSchema),
    issued: z.object({ "date-parts": z.array(z.array(z.number().int())) }).optional(),
    "container-title": z.string().optional(),
    volume: z.string().optional(),
    issue: z.string().optional(),
    page: z.string().optional(),
    DOI: z.string().optional(),
    URL: z.string().optional(),
    note: z.string().optional(),
  })
  .openapi("CslItem");
export type CslItem = z.infer<typeof CslItemSchema>;

export const ET_AL_NOTE = 'The printed author list ends with "et al."';

/** One work as a CSL-JSON item. A truncated author list is noted, not padded with a fake author. */
export function toCsl(ref: Reference): CslItem {
  const author = ref.authors.map(splitName);
  const first = author[0];
  const firstFamily = first && "family" in first ? first.family : (first?.literal ?? "anon");
  return {
    id: `work-${ref.id}`,
    "citation-key": `${asciiKey(firstFamily)}${ref.year ?? "nd"}_${ref.id}`,
    type: ref.type,
    title: ref.title,
    author,
    ...(ref.year !== null ? { issued: { "date-parts": [[ref.year]] } } : {}),
    ...(ref.venue !== null ? { "container-title": ref.venue } : {}),
    ...(ref.volume !== null ? { volume: ref.volume } : {}),
    ...(ref.issue !== null ? { issue: ref.issue } : {}),
    ...(ref.pages !== null ? { page: ref.pages } : {}),
    ...(ref.doi !== null ? { DOI: ref.doi } : {}),
    ...(ref.url !== null ? { URL: ref.url } : {}),
    ...(ref.authors_truncated ? { note: ET_AL_NOTE } : {}),
  };
}

// Initials as the review prints them: "A", "SG", "H-C", "Ö"; a name ending in these is "Family Initials".
const INITIALS = /^\p{Lu}{1,4}(?:-\p{Lu}{1,2})?$/u;

/**
 * Splits a name. Two printed styles occur: "Cruz-Roa A" (family first, initials last) and
 * "Shavan K. Askar" (given names first, family last). A single word is kept as a literal.
 */
export function splitName(name: string): CslName {
  // Imported libraries store "Family, Given" with the given names in full.
  const comma = name.indexOf(", ");
  if (comma > 0) return { family: name.slice(0, comma).trim(), given: name.slice(comma + 2).trim() };
  const words = name.trim().split(/\s+/);
  if (words.length < 2) return { literal: name.trim() };
  const last = words[words.length - 1] ?? "";
  if (INITIALS.test(last)) return { family: words.slice(0, -1).join(" "), given: last };
  return { family: last, given: words.slice(0, -1).join(" ") };
}

function asciiKey(family: string): string {
  return family.normalize("NFD").replace(/[^A-Za-z]/g, "") || "anon";
}
