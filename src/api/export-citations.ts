import { Cite } from "@citation-js/core";
import "@citation-js/plugin-bibtex";
import "@citation-js/plugin-csl";
import "@citation-js/plugin-ris";
import type { Reference } from "../queries/references.js";
import { type CslItem, toCsl } from "./csl.js";

export const CITATION_FORMATS = {
  bibtex: { contentType: "application/x-bibtex; charset=utf-8", filename: "references.bib" },
  ris: { contentType: "application/x-research-info-systems; charset=utf-8", filename: "references.ris" },
  "csl-json": { contentType: "application/vnd.citationstyles.csl+json; charset=utf-8", filename: "references.json" },
} as const;
export type CitationFormat = keyof typeof CITATION_FORMATS;

/** Writes works as BibTeX, RIS or CSL-JSON; BibTeX and RIS come from citation-js, fed the CSL-JSON. */
export function formatCitations(refs: Reference[], format: CitationFormat): string {
  const items = refs.map(toCsl);
  if (format === "csl-json") return `${JSON.stringify(items, null, 2)}\n`;
  if (format === "ris") return unwrapRis(new Cite(items).format("ris", { format: "text" }));
  return bibtex(items);
}

/**
 * citation-js hard-wraps RIS values every 70 characters, mid-word; importers then read
 * "Mu lti-Objective". Every line that does not start with a tag is a piece of the line before.
 */
function unwrapRis(text: string): string {
  // The last line is "ER  - " with its space: the RIS tag format needs it, so only newlines are trimmed.
  return `${text.replace(/\n(?![A-Z][A-Z0-9] {2}- )/g, "").replace(/\n+$/, "")}\n`;
}

/**
 * BibTeX has its own word for a truncated author list, "and others". citation-js braces a literal
 * name ("{others}"), which BibTeX would print as an author called "others", so the braces come off.
 */
function bibtex(items: CslItem[]): string {
  const withOthers = items.map(({ note: _note, ...item }) =>
    item.author.length > 0 && _note ? { ...item, author: [...item.author, { literal: "others" }] } : item,
  );
  return new Cite(withOthers).format("bibtex", { format: "text" }).replace(/ and \{others\}\}/g, " and others}");
}
