/** A reference-list entry split into bibliographic fields. Unknown fields are null. */
export type ParsedReference = {
  authors: string[];
  year: number | null;
  title: string;
  venue: string | null;
  volume: string | null;
  issue: string | null;
  pages: string | null;
};

const YEAR_IN_PARENS = /\((\d{4})\)/;
const QUOTED = /["“”]([^"“”]+?)[,.]?["“”]/;
const PAGES = /\bp(?:p|ages)?\.?\s*(\d+\s*[–-]\s*\d+|\d+)/i;

/** Parses one printed entry (without its "[n]"). Handles the review's two styles: "Authors (Year) Title..." and 'Authors, "Title", Venue...'. */
export function parseReference(raw: string): ParsedReference {
  const text = clean(raw);
  return YEAR_IN_PARENS.test(text) && !QUOTED.test(text.split(YEAR_IN_PARENS)[0] ?? "")
    ? parseParenthesisedYear(text)
    : parseQuotedTitle(text);
}

function clean(raw: string): string {
  return raw
    .replace(/\*/g, "") // italics marks from the text extraction
    .replace(/\s*\[\d+\]\s*$/, "") // a stray citation number at the end ("... IEEE [24]")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[.,]$/, "");
}

function splitAuthors(text: string): string[] {
  const etAl = /\bet al\.?/i.test(text);
  const names = text
    .replace(/\bet al\.?/i, "")
    .split(/\s*(?:;|&|,)\s*/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  return etAl ? [...names, "et al."] : names;
}

function parseParenthesisedYear(text: string): ParsedReference {
  const match = text.match(YEAR_IN_PARENS);
  const year = match ? Number(match[1]) : null;
  const index = match?.index ?? 0;
  const authors = splitAuthors(text.slice(0, index));
  const rest = text.slice(index + (match?.[0].length ?? 0)).trim();
  return { authors, year, ...splitTitleAndSource(rest) };
}

type Source = Omit<ParsedReference, "authors" | "year">;

function splitTitleAndSource(rest: string): Source {
  const empty = { venue: null, volume: null, issue: null, pages: null };
  // "Title. In: Proceedings, vol 9681, p 968103: Publisher" or "Title, In 2019 Conference, pp. 1-4: IEEE"
  const inProc = rest.match(/^(.*?)[.,]["”]?\s+[Ii]n:?\s+(?=[A-Z0-9])(.*)$/);
  if (inProc) {
    const source = inProc[2] ?? "";
    return {
      title: tidyTitle(inProc[1] ?? ""),
      venue: (source.split(/,\s*(?:vol|pp?)\b/)[0] ?? source).replace(/:\s*\w+$/, "").trim(),
      volume: source.match(/\bvol\.?\s*(\d+)/i)?.[1] ?? null,
      issue: null,
      pages: source.match(PAGES)?.[1]?.replace(/\s/g, "") ?? null,
    };
  }
  // "Title. Venue 38(2):915–931" or "Title. B. Eng 38(6):1014–1025"
  const journal = rest.match(/^(.*?)\.\s+(.+?)\s+(\d+)(?:\((\d+)\))?:\s*(\d+\s*[–-]\s*\d+|\d+)$/);
  if (journal) {
    return {
      title: tidyTitle(journal[1] ?? ""),
      venue: journal[2]?.trim() || null,
      volume: journal[3] ?? null,
      issue: journal[4] ?? null,
      pages: journal[5]?.replace(/\s/g, "") ?? null,
    };
  }
  // "Title, vol. 3, no. 3, p. 034501" or "Title. Nature Methods vol. 15, pp. 707–714"
  const vol = rest.match(/^(.*?)(?:,|\.\s+([A-Z][^.,]+?))\s*,?\s*vol\.\s*(\d+)(.*)$/i);
  if (vol) {
    const tail = vol[4] ?? "";
    return {
      title: tidyTitle(vol[1] ?? ""),
      venue: vol[2]?.trim() || null,
      volume: vol[3] ?? null,
      issue: tail.match(/\bno\.\s*(\d+)/i)?.[1] ?? null,
      pages: tail.match(PAGES)?.[1]?.replace(/\s/g, "") ?? null,
    };
  }
  // "Title, 35, 5, 1285–1298": volume, issue, pages printed bare
  const bare = rest.match(/^(.*?),\s*(\d+),\s*(\d+),\s*(\d+(?:\s*[–-]\s*\d+)?)$/);
  if (bare) {
    return {
      title: tidyTitle(bare[1] ?? ""),
      venue: null,
      volume: bare[2] ?? null,
      issue: bare[3] ?? null,
      pages: bare[4]?.replace(/\s/g, "") ?? null,
    };
  }
  return { title: tidyTitle(rest), ...empty };
}

function parseQuotedTitle(text: string): ParsedReference {
  const quoted = text.match(QUOTED);
  if (!quoted) {
    return { authors: [], year: lastYear(text), title: tidyTitle(text), venue: null, volume: null, issue: null, pages: null };
  }
  const before = text.slice(0, quoted.index).replace(/,?\s*\d{4}\.?\s*$/, "");
  const after = text.slice((quoted.index ?? 0) + quoted[0].length).replace(/^[\s,]+/, "");
  const volume = after.match(/\bvol(?:ume)?\.?\s*(\d+)/i);
  const issue = after.match(/\bvol(?:ume)?\.?\s*\d+\((\d+)\)/i);
  return {
    authors: splitAuthors(before),
    year: lastYear(text),
    title: tidyTitle(quoted[1] ?? ""),
    venue: after.split(",")[0]?.replace(/\s+vol(?:ume)?\.?\s*\d+.*$/i, "").trim() || null,
    volume: volume?.[1] ?? null,
    issue: issue?.[1] ?? null,
    pages: after.match(PAGES)?.[1]?.replace(/\s/g, "") ?? null,
  };
}

function lastYear(text: string): number | null {
  const years = [...text.matchAll(/\b(19\d{2}|20\d{2})\b/g)].map((m) => Number(m[1]));
  return years.length > 0 ? (years[years.length - 1] ?? null) : null;
}

function tidyTitle(title: string): string {
  return title.replace(/["“”]/g, "").replace(/\s+/g, " ").trim().replace(/[.,]$/, "");
}

/** A key that is equal for two printings of the same work: first author's surname, year and title words. */
export function workKey(ref: ParsedReference): string {
  // Letters only: "Shin H-C" (printed) and "Shin, Hoo-Chang" (a library's "Family, Given") meet on "shin".
  const surname = ((ref.authors[0] ?? "").split(/\s+/)[0] ?? "").toLowerCase().replace(/[^\p{L}\p{N}-]/gu, "");
  const title = ref.title.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
  return `${surname}|${ref.year ?? ""}|${title}`;
}
