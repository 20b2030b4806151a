import type { CslItem } from "../ingest/review-files.js";
import { normalizeDoi } from "../ingest/work-identity.js";

/** How a sheet's citation cell names its reference, as citation_links.tsv records it. */
export type Link = { item: CslItem; printedNumber: number | null; evidence: string };

/**
 * A citation cell → the library item it names: by cite key (exactly, else ignoring case when
 * that is unambiguous), by DOI (any spelling: https://doi.org/…, doi:…, upper case), or by its
 * number in the reference file ("3", "[3]"), in that order, so a numeric RIS ID wins over a position.
 */
export function linkCitation(cell: string, items: CslItem[]): Link | null {
  const text = cell.trim();
  if (text === "") return null;
  const exact = items.find((i) => i.id === text);
  if (exact) return { item: exact, printedNumber: null, evidence: "cite key in the sheet" };
  const folded = items.filter((i) => i.id.toLowerCase() === text.toLowerCase());
  if (folded.length === 1) return { item: folded[0]!, printedNumber: null, evidence: "cite key in the sheet (case differs)" };
  const doi = normalizeDoi(text);
  if (doi) {
    const byDoi = items.find((i) => normalizeDoi(i.DOI) === doi);
    return byDoi ? { item: byDoi, printedNumber: null, evidence: "DOI in the sheet" } : null;
  }
  const number = text.match(/^\[?\s*(\d+)\s*\]?\.?$/);
  if (number) {
    const n = Number(number[1]);
    const item = items[n - 1];
    return item ? { item, printedNumber: n, evidence: "reference number in the sheet (position in the reference file)" } : null;
  }
  return null;
}
