import { parseAccuracy, type ParsedFigure } from "./accuracy.js";
import { parseMethod, type Strategy } from "./method.js";
import { modalityFromTitle } from "./modality.js";
import { parseReference, workKey, type ParsedReference } from "./reference.js";
import type { CitationRow, OverrideRow, ReferenceRow, ReviewFiles, StudyRow } from "./review-files.js";

/** A work as it will be stored: parsed fields plus every place it was printed. */
export type BuiltWork = ParsedReference & {
  key: string;
  raw: string;
  offTopic: boolean;
  entries: { position: number; printedNumber: number | null; raw: string }[];
};

export type BuiltStudy = {
  row: StudyRow;
  strategy: Strategy | null;
  backbones: string[];
  accuracy: ParsedFigure | null;
  citation: CitationRow & { workKey: string | null; printed: string };
  modality: { modality: string; source: string } | null;
};

export type BuiltReview = { works: BuiltWork[]; studies: BuiltStudy[] };

function applyOverrides(parsed: ParsedReference, overrides: OverrideRow[]): ParsedReference {
  const out = { ...parsed };
  for (const o of overrides) {
    if (o.field === "authors") out.authors = o.value.split(/\s*;\s*/);
    else if (o.field === "year") out.year = Number(o.value);
    else out[o.field] = o.value;
  }
  return out;
}

/** Parses the reference list and merges entries that print the same work twice. */
export function buildWorks(references: ReferenceRow[], overrides: OverrideRow[]): BuiltWork[] {
  const byKey = new Map<string, BuiltWork>();
  for (const ref of references) {
    if (ref.raw.trim() === "") continue; // an empty bullet is not a work
    const parsed = applyOverrides(
      parseReference(ref.raw),
      overrides.filter((o) => o.position === ref.position),
    );
    const key = workKey(parsed);
    const entry = { position: ref.position, printedNumber: ref.printed_number, raw: ref.raw };
    const existing = byKey.get(key);
    if (existing) existing.entries.push(entry);
    else byKey.set(key, { ...parsed, key, raw: ref.raw, offTopic: ref.off_topic_reason !== "", entries: [entry] });
  }
  return [...byKey.values()];
}

/** Checks that the normalizers reproduce the curated values, so code and data cannot drift apart. */
function normalizeStudy(row: StudyRow): Pick<BuiltStudy, "strategy" | "backbones" | "accuracy"> {
  const method = parseMethod(row.method_printed);
  const where = `${row.table} row ${row.row}`;
  if ((method.strategy ?? "") !== row.strategy) {
    throw new Error(`${where}: method text gives strategy ${method.strategy}, data says ${row.strategy}`);
  }
  if ([...method.backbones].sort().join(";") !== [...row.backbones].sort().join(";")) {
    throw new Error(`${where}: method text gives backbones ${method.backbones}, data says ${row.backbones}`);
  }
  const accuracy = row.accuracy_printed.trim() === "" ? null : parseAccuracy(row.accuracy_printed);
  return { strategy: method.strategy, backbones: row.backbones, accuracy };
}

export function buildReview(files: ReviewFiles): BuiltReview {
  const works = buildWorks(files.references, files.overrides);
  const workAt = (c: CitationRow): BuiltWork | undefined =>
    works.find((w) =>
      w.entries.some((e) =>
        c.reference_number !== null ? e.printedNumber === c.reference_number : e.position === c.reference_position,
      ),
    );

  const studies = files.studies.map((row): BuiltStudy => {
    const where = `${row.table} row ${row.row}`;
    const link = files.citations.find((c) => c.table === row.table && c.row === row.row);
    if (!link) throw new Error(`${where}: no citation link in citation_links.tsv`);
    const work = link.reference_number === null && link.reference_position === null ? undefined : workAt(link);
    if ((link.reference_number !== null || link.reference_position !== null) && !work) {
      throw new Error(`${where}: citation points at a reference that is not in references.tsv`);
    }
    // Only a confirmed link may lend its title to the modality: an uncertain one could mislead.
    const match = work && link.status === "linked" ? modalityFromTitle(work.title) : null;
    return {
      row,
      ...normalizeStudy(row),
      citation: { ...link, workKey: work?.key ?? null, printed: row.authors_printed },
      modality: match ? { modality: match.modality, source: `reference title: "${match.matched}"` } : null,
    };
  });
  return { works, studies };
}
