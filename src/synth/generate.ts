import type { Rng } from "./prng.js";
import {
  BACKBONE_COUNT_TABLE,
  BACKBONE_TABLE,
  INITIALS,
  METHOD_PHRASES,
  ORGAN_TABLE,
  STRATEGY_TABLE,
  SURNAMES,
  TITLE_ENDINGS,
  TITLE_OPENINGS,
  UNCLASSIFIED_METHODS,
  VENUES,
  YEAR_LAST,
  YEAR_TABLE,
} from "./vocabulary.js";

/** One review per this many studies, as the issue asks. */
export const STUDIES_PER_REVIEW = 10_000;

/**
 * Where generated rows go, one call per row with values in column order. The writer binds them to
 * prepared statements; keeping rows as positional arrays avoids building an object per row.
 */
export type RowSink = {
  review(values: unknown[]): void;
  work(values: unknown[]): void;
  workEntry(values: unknown[]): void;
  study(values: unknown[]): void;
  backbone(values: unknown[]): void;
  result(values: unknown[]): void;
  citation(values: unknown[]): void;
};

/** Ids run on across reviews, so the writer never needs RETURNING. */
export type IdCounters = { work: number; study: number; result: number };

// Loaded-at must not depend on the clock, or two runs with one seed would differ.
const LOADED_AT = "2025-01-01T00:00:00.000Z";

export function reviewId(index: number): string {
  return `synth-${String(index + 1).padStart(4, "0")}`;
}

/** Writes one review and its `count` studies, with the works they cite. */
export function generateReview(rng: Rng, index: number, count: number, ids: IdCounters, seed: number, sink: RowSink): void {
  const id = reviewId(index);
  const authors = names(rng, rng.int(2, 5));
  sink.review([
    id,
    `Synthetic review ${index + 1}: transfer learning in medical imaging`,
    JSON.stringify(authors),
    JSON.stringify(["Synthetic Institute of Imaging"]),
    null,
    null,
    null,
    JSON.stringify(["Transfer learning", "Medical image analysis"]),
    `${authors[0]} et al. (${YEAR_LAST}) Synthetic review ${index + 1}.`,
    "synthetic",
    `synth:${seed}:${index}`,
    LOADED_AT,
  ]);

  // Works of this review: [id, year, printed number]; some papers report more than one study.
  const reviewWorks: { id: number; year: number; printed: number; author: string }[] = [];
  let position = 0;
  for (let i = 0; i < count; i++) {
    const organ = rng.weighted(ORGAN_TABLE);
    const condition = rng.weighted(organ.conditions);
    const modality = rng.weighted(organ.modalities);
    const strategy = rng.weighted(STRATEGY_TABLE);
    const backbones = pickBackbones(rng);

    let work = reviewWorks.length > 0 && rng.chance(0.2) ? rng.pick(reviewWorks) : undefined;
    if (!work) {
      const year = rng.weighted(YEAR_TABLE);
      const workAuthors = names(rng, rng.int(1, 6));
      const printed = ++position;
      work = { id: ++ids.work, year, printed, author: workAuthors[0]!.split(" ")[0]! };
      reviewWorks.push(work);
      const title = workTitle(rng, condition, modality);
      const venue = rng.pick(VENUES);
      const volume = String(rng.int(1, 60));
      const issue = rng.chance(0.7) ? String(rng.int(1, 12)) : null;
      const first = rng.int(1, 9000);
      const pages = `${first}–${first + rng.int(5, 15)}`;
      const raw = `${workAuthors.join("; ")}, "${title}", ${venue}, Volume ${volume}, ${year}.`;
      sink.work([work.id, id, JSON.stringify(workAuthors), year, title, venue, volume, issue, pages, raw, rng.chance(0.01) ? 1 : 0]);
      sink.workEntry([id, printed, printed, work.id, raw]);
      // A reference list sometimes prints a work twice; the loader keeps both entries.
      if (rng.chance(0.02)) sink.workEntry([id, ++position, position, work.id, raw]);
    }

    const studyId = ++ids.study;
    const year = work.year;
    const method = methodText(rng, strategy, backbones);
    const authorsPrinted = rng.chance(0.5) ? `[${work.printed}]` : `${work.author}, et al. [${work.printed}]`;
    sink.study([
      studyId,
      id,
      organ.name,
      capitalize(condition),
      condition,
      method,
      strategy,
      year,
      modality,
      modality ? `synthetic: ${modality}` : null,
      authorsPrinted,
      `Table ${1 + Math.floor(i / 1000)}`,
      1 + (i % 1000),
    ]);
    for (const b of backbones) sink.backbone([studyId, b]);

    const r = rng.next();
    if (r < 0.8) {
      const value = accuracy(rng, year);
      sink.result([++ids.result, studyId, "accuracy", value, value, value, `${value}%`, "percent"]);
    } else if (r < 0.88) {
      const a = accuracy(rng, year);
      const b = accuracy(rng, year);
      const low = Math.min(a, b);
      const high = Math.max(a, b);
      const mid = Math.round(((low + high) / 2) * 1e6) / 1e6;
      sink.result([++ids.result, studyId, "accuracy", mid, low, high, `${low}% to ${high}% depending on methods`, "percent"]);
    } // else: no accuracy reported, as for a fifth of real extractions

    const c = rng.next();
    const linked = c < 0.92;
    const workId = c < 0.97 ? work.id : null;
    sink.citation([
      studyId,
      authorsPrinted,
      work.printed,
      workId,
      linked ? (rng.chance(0.8) ? "high" : "medium") : "low",
      linked ? "linked" : "uncertain",
      JSON.stringify(linked ? ["printed number matches", `year ${year} matches`] : ["year only"]),
      linked ? null : "synthetic: ambiguous printed number",
    ]);
  }
}

function pickBackbones(rng: Rng): string[] {
  const n = rng.weighted(BACKBONE_COUNT_TABLE);
  const out: string[] = [];
  // Redraw duplicates: (study_id, backbone) is a primary key.
  while (out.length < n) {
    const b = rng.weighted(BACKBONE_TABLE);
    if (!out.includes(b)) out.push(b);
  }
  return out;
}

function methodText(rng: Rng, strategy: keyof typeof METHOD_PHRASES | null, backbones: string[]): string {
  const phrase = rng.pick(strategy ? METHOD_PHRASES[strategy] : UNCLASSIFIED_METHODS);
  return phrase.replace("%", backbones.join(" and "));
}

/** Percent, two decimals; later years report a little higher, as the literature does. */
function accuracy(rng: Rng, year: number): number {
  const base = 78 + (year - 2000) * 0.5;
  const v = base + (rng.next() + rng.next() + rng.next() - 1.5) * 12;
  return Math.round(Math.min(99.99, Math.max(50, v)) * 100) / 100;
}

function names(rng: Rng, n: number): string[] {
  return Array.from({ length: n }, () => `${rng.pick(SURNAMES)} ${rng.pick(INITIALS)}${rng.chance(0.3) ? rng.pick(INITIALS) : ""}`);
}

function workTitle(rng: Rng, condition: string, modality: string | null): string {
  const ending = rng.pick(TITLE_ENDINGS);
  return `${rng.pick(TITLE_OPENINGS)} ${condition}${modality ? ending.replace("%", modality) : ""}`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
