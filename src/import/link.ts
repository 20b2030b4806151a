import type { CslItem } from "../ingest/review-files.js";
import { normalizeDoi } from "../ingest/work-identity.js";

/** How a sheet's citation cell names its reference, as citation_links.tsv records it. */
export type Link = { item: CslItem; printedNumber: number | null; evidence: string };

/** The library looked up by key, folded key and DOI, built once: a sheet of thousands of rows links in linear time. */
export type LibraryIndex = { items: CslItem[]; byId: Map<string, CslItem>; byFolded: Map<string, CslItem[]>; byDoi: Map<string, CslItem> };

export function indexLibrary(items: CslItem[]): LibraryIndex {
  const byId = new Map<string, CslItem>();
  const byFolded = new Map<string, CslItem[]>();
  const byDoi = new Map<string, CslItem>();
  for (const item of items) {
    if (!byId.has(item.id)) byId.set(item.id, item);
    const folded = item.id.toLowerCase();
    byFolded.set(folded, [...(byFolded.get(folded) ?? []), item]);
    const doi = normalizeDoi(item.DOI);
    if (doi && !byDoi.has(doi)) byDoi.set(doi, item);
  }
  return { items, byId, byFolded, byDoi };
}

/**
 * A citation cell → the library item it names: by cite key (exactly, else ignoring case when
 * that is unambiguous), by DOI (any spelling: https://doi.org/…, doi:…, upper case), or by its
 * number in the reference file ("3", "[3]"), in that order, so a numeric RIS ID wins over a position.
 */
export function linkCitation(cell: string, library: LibraryIndex): Link | null {
  const text = cell.trim();
  if (text === "") return null;
  const exact = library.byId.get(text);
  if (exact) return { item: exact, printedNumber: null, evidence: "cite key in the sheet" };
  const folded = library.byFolded.get(text.toLowerCase()) ?? [];
  if (folded.length === 1) return { item: folded[0]!, printedNumber: null, evidence: "cite key in the sheet (case differs)" };
  const doi = normalizeDoi(text);
  if (doi) {
    const byDoi = library.byDoi.get(doi);
    return byDoi ? { item: byDoi, printedNumber: null, evidence: "DOI in the sheet" } : null;
  }
  const number = text.match(/^\[?\s*(\d+)\s*\]?\.?$/);
  if (number) {
    const n = Number(number[1]);
    const item = library.items[n - 1];
    return item ? { item, printedNumber: n, evidence: "reference number in the sheet (position in the reference file)" } : null;
  }
  return null;
}
