import { parseAccuracy } from "./accuracy.js";
import { parseMethod } from "./method.js";
import { modalityFromTitle } from "./modality.js";
import { parseReference, workKey, type ParsedReference } from "./reference.js";
import { groupBy } from "../queries/group-by.js";
import type { CitationRow, CslItem, OverrideRow, ReferenceRow, ResultRow, ReviewFiles, Scale, StudyRow } from "./review-files.js";
import { backboneFamily } from "./vocabulary.js";
import { normalizeDoi } from "./work-identity.js";

/** A work as it will be stored: parsed fields plus every place it was printed. */
export type BuiltWork = ParsedReference & {
  /** Title key (first author, year, folded title): merges duplicates and matches across reviews. */
  key: string;
  doi: string | null;
  url: string | null;
  type: string | null;
  csl: Record<string, unknown> | null;
  raw: string;
  offTopic: boolean;
  entries: { position: number; printedNumber: number | null; raw: string; citeKey: string | null }[];
};

export type BuiltResult = {
  metric: string;
  metricPrinted: string | null;
  value: number | null;
  low: number | null;
  high: number | null;
  scale: Scale | null;
  text: string;
};

export type BuiltBackbone = { name: string; family: string | null; printed: string | null };

export type BuiltStudy = {
  row: StudyRow;
  strategy: string | null;
  backbones: BuiltBackbone[];
  results: BuiltResult[];
  citation: CitationRow & { workKey: string | null; printed: string };
  modality: { modality: string; source: string } | null;
};

export type BuiltReview = { works: BuiltWork[]; studies: BuiltStudy[]; scales: Map<string, Scale | null> };

/** A review folder whose content contradicts itself; every problem found is listed. */
export class ReviewDataError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("; "));
  }
}

function applyOverrides(parsed: ParsedReference, overrides: OverrideRow[]): ParsedReference {
  const out = { ...parsed };
  for (const o of overrides) {
    if (o.field === "authors") out.authors = o.value.split(/\s*;\s*/);
    else if (o.field === "year") out.year = Number(o.value);
    else out[o.field] = o.value;
  }
  return out;
}

/** Adds a work, or one more entry of a work already built under the same key. */
function addWork(byKey: Map<string, BuiltWork>, work: Omit<BuiltWork, "key" | "entries">, entry: BuiltWork["entries"][number]) {
  const key = workKey(work);
  const existing = byKey.get(key);
  if (existing) existing.entries.push(entry);
  else byKey.set(key, { ...work, key, entries: [entry] });
}

/** Parses the printed reference list and merges entries that print the same work twice. */
export function buildWorks(references: ReferenceRow[], overrides: OverrideRow[], library: CslItem[] = []): BuiltWork[] {
  const byKey = new Map<string, BuiltWork>();
  for (const ref of references) {
    if (ref.raw.trim() === "") continue; // an empty bullet is not a work
    const parsed = applyOverrides(
      parseReference(ref.raw),
      overrides.filter((o) => o.position === ref.position),
    );
    const work = { ...parsed, doi: null, url: null, type: null, csl: null, raw: ref.raw, offTopic: ref.off_topic_reason !== "" };
    addWork(byKey, work, { position: ref.position, printedNumber: ref.printed_number, raw: ref.raw, citeKey: null });
  }
  const offset = references.length;
  library.forEach((item, i) => {
    const work = workFromCsl(item);
    addWork(byKey, work, { position: offset + i + 1, printedNumber: null, raw: work.raw, citeKey: item.id });
  });
  return [...byKey.values()];
}

type CslName = { family?: string; given?: string; literal?: string };
const str = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v.trim() : typeof v === "number" ? String(v) : null);

/** A CSL item's fields as a work; the item itself is kept whole (full given names, every field). */
function workFromCsl(item: CslItem): Omit<BuiltWork, "key" | "entries"> {
  const names = (Array.isArray(item.author) ? item.author : []) as CslName[];
  // "Family, Given" keeps full given names and splits back unambiguously for the exports.
  const authors = names.map((n) => n.literal ?? [n.family, n.given].filter(Boolean).join(", "));
  const issued = (item.issued as { "date-parts"?: unknown[][] } | undefined)?.["date-parts"]?.[0]?.[0];
  const year = typeof issued === "number" ? issued : Number.parseInt(String(issued ?? ""), 10) || null;
  const doi = normalizeDoi(str(item.DOI));
  const venue = str(item["container-title"]);
  const fields = { volume: str(item.volume), issue: str(item.issue), pages: str(item.page) };
  const title = str(item.title) ?? "";
  // Not printed anywhere: a one-line rendering, so every work has a readable entry.
  const raw = [
    `${authors.join("; ")} (${year ?? "n.d."}) ${title}.`,
    venue,
    fields.volume ? `${fields.volume}${fields.issue ? `(${fields.issue})` : ""}${fields.pages ? `:${fields.pages}` : ""}` : fields.pages,
    doi ? `doi:${doi}` : null,
  ]
    .filter(Boolean)
    .join(" ");
  return { authors, year, title, venue, ...fields, doi, url: str(item.URL), type: str(item.type), csl: item, raw, offTopic: false };
}

/** The curated format's one accuracy per study, or an imported review's results.tsv rows. */
function resultsOf(results: ResultRow[], row: StudyRow): BuiltResult[] {
  if (row.strategy_printed === undefined) {
    if (row.accuracy_printed.trim() === "") return [];
    const { value, low, high, text } = parseAccuracy(row.accuracy_printed);
    return [{ metric: "accuracy", metricPrinted: null, value, low, high, scale: "percent", text }];
  }
  return results.map((r) => ({ metric: r.metric, metricPrinted: r.metric_printed, value: r.value, low: r.low, high: r.high, scale: r.scale, text: r.printed }));
}

/**
 * The curated review derives strategy and backbones from the printed method text and refuses data
 * that disagrees, so code and data cannot drift apart. An imported sheet states them in columns
 * of their own (normalised at import, printed text beside them); its method text is never parsed.
 */
function strategyAndBackbones(row: StudyRow, problems: string[]): Pick<BuiltStudy, "strategy" | "backbones"> {
  const where = `${row.table} row ${row.row}`;
  if (row.strategy_printed === undefined) {
    const method = parseMethod(row.method_printed);
    if ((method.strategy ?? "") !== row.strategy) {
      problems.push(`${where}: method text gives strategy ${method.strategy}, data says ${row.strategy}`);
    }
    if ([...method.backbones].sort().join(";") !== [...row.backbones].sort().join(";")) {
      problems.push(`${where}: method text gives backbones ${method.backbones}, data says ${row.backbones}`);
    }
  }
  const printed = row.backbones_printed?.split(";").map((s) => s.trim()) ?? [];
  const aligned = printed.length === row.backbones.length;
  return {
    strategy: row.strategy === "" ? null : row.strategy,
    backbones: row.backbones.map((name, i) => ({ name, family: backboneFamily(name), printed: aligned ? (printed[i] ?? null) : null })),
  };
}

/** Checks a review folder against itself and builds what the loader stores; every problem is listed. */
export function buildReview(files: ReviewFiles): BuiltReview {
  const works = buildWorks(files.references, files.overrides, files.library);
  const problems: string[] = [];
  // Indexed once, so a sheet of 20,000 rows and 5,000 references builds in linear time.
  const byCiteKey = new Map<string, BuiltWork>();
  const byNumber = new Map<number, BuiltWork>();
  const byPosition = new Map<number, BuiltWork>();
  for (const w of works) {
    for (const e of w.entries) {
      if (e.citeKey !== null) byCiteKey.set(e.citeKey, w);
      if (e.printedNumber !== null && !byNumber.has(e.printedNumber)) byNumber.set(e.printedNumber, w);
      byPosition.set(e.position, w);
    }
  }
  const workAt = (c: CitationRow): BuiltWork | undefined =>
    c.reference_id ? byCiteKey.get(c.reference_id) : c.reference_number !== null ? byNumber.get(c.reference_number) : c.reference_position !== null ? byPosition.get(c.reference_position) : undefined;
  const linkOf = new Map(files.citations.map((c) => [`${c.table}\t${c.row}`, c]));
  const resultsByStudy = groupBy(files.results, (r) => `${r.table}\t${r.row}`);
  const studyKeys = new Set(files.studies.map((s) => `${s.table}\t${s.row}`));
  for (const r of files.results) {
    if (!studyKeys.has(`${r.table}\t${r.row}`)) problems.push(`results.tsv: ${r.table} row ${r.row} is not a study in studies.tsv`);
  }

  const studies = files.studies.flatMap((row): BuiltStudy[] => {
    const where = `${row.table} row ${row.row}`;
    const link = linkOf.get(`${row.table}\t${row.row}`);
    if (!link) {
      problems.push(`${where}: no citation link in citation_links.tsv`);
      return [];
    }
    const points = Boolean(link.reference_id) || link.reference_number !== null || link.reference_position !== null;
    const work = points ? workAt(link) : undefined;
    if (points && !work) problems.push(`${where}: citation points at a reference that is not in the review's references`);
    const stated = row.modality ? { modality: row.modality, source: "the review's sheet" } : null;
    // Only a confirmed link may lend its title to the modality: an uncertain one could mislead.
    const match = !stated && work && link.status === "linked" ? modalityFromTitle(work.title) : null;
    return [
      {
        row,
        ...strategyAndBackbones(row, problems),
        results: resultsOf(resultsByStudy.get(`${row.table}\t${row.row}`) ?? [], row),
        citation: { ...link, workKey: work?.key ?? null, printed: row.authors_printed },
        modality: stated ?? (match ? { modality: match.modality, source: `reference title: "${match.matched}"` } : null),
      },
    ];
  });
  const scales = new Map<string, Scale | null>();
  for (const r of studies.flatMap((s) => s.results)) {
    const seen = scales.get(r.metric);
    if (seen === undefined) scales.set(r.metric, r.scale);
    else if (seen !== r.scale) problems.push(`results.tsv: metric ${r.metric} is given on two scales (${seen ?? "none"} and ${r.scale ?? "none"})`);
  }
  if (problems.length > 0) throw new ReviewDataError(problems);
  return { works, studies, scales };
}
