import { workKey } from "./reference.js";

/**
 * How a work is recognised across reviews (issue 9): the same DOI, or else the same first
 * author's surname, year and title folded to lower-case letters and digits. The title key is
 * what the curated review already merges its duplicated entries by, so a printed entry without a
 * DOI and an imported BibTeX entry of the same paper meet on it.
 */
export type WorkIdentity = { doi: string | null; key: string };

/** A DOI as people paste it (with https://doi.org/, doi:, upper case) reduced to one spelling. */
export function normalizeDoi(doi: string | null | undefined): string | null {
  const d = (doi ?? "")
    .trim()
    .replace(/^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:\s*)/i, "")
    .toLowerCase();
  return /^10\.\d{4,9}\/\S+$/.test(d) ? d : null;
}

export function workIdentity(w: { doi?: string | null; authors: string[]; year: number | null; title: string }): WorkIdentity {
  return { doi: normalizeDoi(w.doi), key: workKey({ authors: w.authors, year: w.year, title: w.title, venue: null, volume: null, issue: null, pages: null }) };
}
