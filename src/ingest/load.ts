import { readFileSync } from "node:fs";
import { join } from "node:path";
import { and, eq, isNull, or, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import {
  citationLinks,
  corrections,
  loadFailures,
  methodItems,
  reviews,
  studies,
  studyBackbones,
  studyResults,
  workEntries,
  works,
} from "../db/schema.js";
import { conflictingScales } from "../queries/metrics.js";
import { reviewCounts } from "../queries/reviews.js";
import { applyReview, markCurrent, rebuildSummaries, summariesCurrent } from "../summary/build.js";
import { type BuiltWork, buildReview, ReviewDataError } from "./build.js";
import { listReviewDirs, readReviewFiles, REVIEW_FILES, ReviewFileError, type ReviewFiles, reviewFilesHash } from "./review-files.js";
import { workIdentity } from "./work-identity.js";

export type LoadOutcome = { reviewId: string; status: "loaded" | "unchanged"; studies: number; works: number };
export type LoadFailureReport = { dir: string; reviewId: string | null; problems: string[] };

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

const studyKey = (table: string, row: number) => `${table}\t${row}`;

/**
 * The ids this review's studies and works have now, by natural key: a study by its source
 * table and row, a work by its title key. A reload gives each the id it had, so a link someone
 * shared keeps pointing at the same study (ids are never reused for another row: AUTOINCREMENT).
 */
function currentIds(tx: Tx, reviewId: string) {
  const studyIds = new Map(
    tx
      .select({ id: studies.id, table: studies.sourceTable, row: studies.sourceRow })
      .from(studies)
      .where(eq(studies.reviewId, reviewId))
      .all()
      .map((s) => [studyKey(s.table, s.row), s.id]),
  );
  // Keyed from the stored fields, not the identity column, so rows loaded before that column
  // existed keep their ids too.
  const workIds = new Map(
    tx
      .selectDistinct({ id: works.id, authors: works.authors, year: works.year, title: works.title })
      .from(works)
      .innerJoin(workEntries, eq(workEntries.workId, works.id))
      .where(eq(workEntries.reviewId, reviewId))
      .all()
      .map((w) => [workIdentity(w).key, w.id]),
  );
  return { studyIds, workIds };
}

/**
 * Works this review owns that another review also cites are handed to that review before this
 * one's rows are deleted, so the cascade takes only what no other review cites.
 */
function handOverSharedWorks(tx: Tx, reviewId: string) {
  const otherCiter = sql`(select min(${workEntries.reviewId}) from ${workEntries} where ${workEntries.workId} = ${works.id} and ${workEntries.reviewId} <> ${reviewId})`;
  tx.update(works)
    .set({ reviewId: otherCiter })
    .where(and(eq(works.reviewId, reviewId), sql`${otherCiter} is not null`))
    .run();
}

/** The work another review already holds under the same DOI or title key, if any. */
function sharedWork(tx: Tx, w: BuiltWork) {
  const doi = w.doi;
  return tx
    .select({ id: works.id, doi: works.doi, url: works.url, type: works.type, csl: works.csl })
    .from(works)
    .where(doi ? or(eq(works.doi, doi), and(eq(works.identity, w.key), isNull(works.doi))) : eq(works.identity, w.key))
    .orderBy(works.id)
    .get();
}

function insertWork(tx: Tx, reviewId: string, w: BuiltWork, keptId: number | undefined): number {
  const shared = sharedWork(tx, w);
  if (shared) {
    // One work, cited by two reviews: fill what the other review's entry lacked (a DOI a printed
    // list did not give), never overwrite what it has.
    const fill = {
      ...(shared.doi === null && w.doi ? { doi: w.doi } : {}),
      ...(shared.url === null && w.url ? { url: w.url } : {}),
      ...(shared.type === null && w.type ? { type: w.type } : {}),
      ...(shared.csl === null && w.csl ? { csl: w.csl } : {}),
    };
    if (Object.keys(fill).length > 0) tx.update(works).set(fill).where(eq(works.id, shared.id)).run();
    return shared.id;
  }
  return tx
    .insert(works)
    .values({
      ...(keptId !== undefined ? { id: keptId } : {}),
      reviewId,
      authors: w.authors,
      year: w.year,
      title: w.title,
      venue: w.venue,
      volume: w.volume,
      issue: w.issue,
      pages: w.pages,
      raw: w.raw,
      offTopic: w.offTopic,
      doi: w.doi,
      url: w.url,
      type: w.type,
      csl: w.csl,
      identity: w.key,
    })
    .returning({ id: works.id })
    .get().id;
}

/**
 * Loads one review folder. Unchanged data (same hash) is left alone, so a second start writes
 * nothing; changed data replaces that review's rows in one transaction, so a reader sees the old
 * review or the new one, never a mix, and every study and work keeps its id.
 */
export function loadReview(db: Db, files: ReviewFiles, now = new Date()): LoadOutcome {
  const { review } = files;
  const loadedHash = () => db.select({ hash: reviews.dataHash }).from(reviews).where(eq(reviews.id, review.id)).get();
  const unchanged = unchangedReview(db, review.id, files.hash);
  if (unchanged) return unchanged;
  const built = buildReview(files);
  const outcome = { reviewId: review.id, studies: built.studies.length, works: built.works.length };

  // IMMEDIATE takes the write lock before the first read: a deferred transaction that reads and
  // then writes fails at once (SQLITE_BUSY) when another process wrote in between, where this one
  // waits for the busy timeout. The hash is read again under the lock: a server started beside
  // this one may have loaded the same files meanwhile, and loading them twice would renumber ids.
  const loaded = db.transaction((tx) => {
    const existing = loadedHash();
    if (existing?.hash === files.hash) return false;
    const conflicts = conflictingScales(db, built.scales, review.id);
    if (conflicts.length > 0) throw new ReviewDataError(conflicts);
    // The summaries follow in the same transaction: the review's old rows are taken out before
    // they are deleted and the new ones added after, so readers never see them disagree.
    const sqlite = db.$client;
    const current = summariesCurrent(sqlite);
    if (current && existing) applyReview(sqlite, review.id, -1);
    const kept = currentIds(tx, review.id);
    handOverSharedWorks(tx, review.id);
    tx.delete(reviews).where(eq(reviews.id, review.id)).run();
    tx.insert(reviews)
      .values({ ...review, dataHash: files.hash, loadedAt: now.toISOString() })
      .run();

    const workIds = new Map<string, number>();
    for (const w of built.works) {
      const id = insertWork(tx, review.id, w, kept.workIds.get(w.key));
      workIds.set(w.key, id);
      for (const e of w.entries) tx.insert(workEntries).values({ reviewId: review.id, workId: id, ...e }).run();
    }

    for (const s of built.studies) {
      const keptId = kept.studyIds.get(studyKey(s.row.table, s.row.row));
      const { id } = tx
        .insert(studies)
        .values({
          ...(keptId !== undefined ? { id: keptId } : {}),
          reviewId: review.id,
          organ: s.row.organ,
          organPrinted: s.row.organ_printed ?? null,
          conditionPrinted: s.row.condition_printed,
          condition: s.row.condition,
          methodText: s.row.method_printed,
          strategy: s.strategy,
          strategyPrinted: s.row.strategy_printed ?? null,
          year: s.row.year,
          modality: s.modality?.modality ?? null,
          modalitySource: s.modality?.source ?? null,
          authorsPrinted: s.row.authors_printed,
          dataset: s.row.dataset || null,
          sampleSize: s.row.sample_size ?? null,
          sourceTable: s.row.table,
          sourceRow: s.row.row,
        })
        .returning({ id: studies.id })
        .get();
      for (const b of s.backbones) tx.insert(studyBackbones).values({ studyId: id, backbone: b.name, family: b.family, printed: b.printed }).run();
      for (const r of s.results) tx.insert(studyResults).values({ studyId: id, ...r }).run();
      const c = s.citation;
      tx.insert(citationLinks)
        .values({
          studyId: id,
          printed: c.printed,
          printedNumber: c.printed_number,
          workId: c.workKey ? (workIds.get(c.workKey) ?? null) : null,
          confidence: c.confidence,
          status: c.status,
          evidence: c.evidence,
          reason: c.reason || null,
        })
        .run();
    }

    for (const c of files.corrections) tx.insert(corrections).values({ reviewId: review.id, ...c }).run();
    for (const { kind, rows } of files.methods) {
      rows.forEach(({ slug, name, source, ...attributes }, position) => {
        tx.insert(methodItems).values({ reviewId: review.id, kind, slug, name, source, attributes, position }).run();
      });
    }
    if (current) {
      applyReview(sqlite, review.id, 1);
      markCurrent(sqlite);
    } else {
      // Stale from an earlier write by another program: rebuild, at a cost that follows the corpus.
      rebuildSummaries(sqlite);
    }
    return true;
  }, { behavior: "immediate" });
  return { ...outcome, status: loaded ? "loaded" : "unchanged" };
}

/** The problems of a folder that failed to load, as lines a person can act on. */
function problemsOf(e: unknown): string[] {
  if (e instanceof ReviewFileError) return e.problems.map((p) => `${e.file}: ${p}`);
  if (e instanceof ReviewDataError) return e.problems;
  return [e instanceof Error ? e.message : String(e)];
}

/**
 * Loads every review folder under the data directory. A folder that fails is skipped and
 * recorded in load_failures (read by /health) with every problem found; the others load, and a
 * review loaded before keeps serving its last good data. Bad data never stops the process.
 */
/** Unchanged files were checked when they were loaded: a start that finds them so builds nothing. */
function unchangedReview(db: Db, reviewId: string, hash: string | null): LoadOutcome | null {
  const loaded = db.select({ hash: reviews.dataHash }).from(reviews).where(eq(reviews.id, reviewId)).get();
  return hash !== null && loaded?.hash === hash ? { reviewId, ...reviewCounts(db, reviewId), status: "unchanged" } : null;
}

export function loadAll(db: Db, dataDir: string): { loaded: LoadOutcome[]; failed: LoadFailureReport[] } {
  const loaded: LoadOutcome[] = [];
  const failed: LoadFailureReport[] = [];
  const dirs = listReviewDirs(dataDir);
  const seen = new Map<string, string>();
  for (const dir of dirs) {
    let reviewId: string | null = peekReviewId(dir);
    // Hashed before it is parsed: an unchanged folder (every start's usual case) is not parsed.
    const unchanged = reviewId !== null && !seen.has(reviewId) ? unchangedReview(db, reviewId, reviewFilesHash(dir)) : null;
    if (unchanged) {
      seen.set(unchanged.reviewId, dir);
      loaded.push(unchanged);
      continue;
    }
    try {
      const files = readReviewFiles(dir);
      reviewId = files.review.id;
      // Two folders with one id would replace each other at every start.
      const other = seen.get(reviewId);
      if (other) throw new ReviewDataError([`review.json: id ${reviewId} is also the id of ${other}; give each review folder its own id`]);
      seen.set(reviewId, dir);
      loaded.push(loadReview(db, files));
    } catch (e) {
      failed.push({ dir, reviewId, problems: problemsOf(e) });
    }
  }
  recordFailures(db, failed);
  return { loaded, failed };
}

/** The id a folder's review.json claims, to name a folder that fails before it is fully read. */
function peekReviewId(dir: string): string | null {
  try {
    const id: unknown = JSON.parse(readFileSync(join(dir, REVIEW_FILES.review), "utf8")).id;
    return typeof id === "string" ? id : null;
  } catch {
    return null;
  }
}

/** Replaces the recorded failures with this start's; writes nothing when they are the same. */
function recordFailures(db: Db, failed: LoadFailureReport[]) {
  const said = (f: { dir: string; problems: string[] }) => JSON.stringify([f.dir, f.problems]);
  const before = db.select().from(loadFailures).orderBy(loadFailures.dir).all().map(said);
  if (before.join("\n") === failed.map(said).sort().join("\n")) return;
  const failedAt = new Date().toISOString();
  db.transaction((tx) => {
    tx.delete(loadFailures).run();
    for (const f of failed) tx.insert(loadFailures).values({ dir: f.dir, reviewId: f.reviewId, problems: f.problems, failedAt }).run();
  }, { behavior: "immediate" });
}
