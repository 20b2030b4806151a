import { eq } from "drizzle-orm";
import type { Db } from "../db/client.js";
import {
  citationLinks,
  corrections,
  methodItems,
  reviews,
  studies,
  studyBackbones,
  studyResults,
  workEntries,
  works,
} from "../db/schema.js";
import { applyReview, markCurrent, rebuildSummaries, summariesCurrent } from "../summary/build.js";
import { buildReview } from "./build.js";
import { listReviewDirs, readReviewFiles, type ReviewFiles } from "./review-files.js";

export type LoadOutcome = { reviewId: string; status: "loaded" | "unchanged"; studies: number; works: number };

/**
 * Loads one review folder. Unchanged data (same hash) is left alone, so a second start writes
 * nothing; changed data replaces that review's rows in one transaction.
 */
export function loadReview(db: Db, files: ReviewFiles, now = new Date()): LoadOutcome {
  const { review } = files;
  const loadedHash = () => db.select({ hash: reviews.dataHash }).from(reviews).where(eq(reviews.id, review.id)).get();
  const built = buildReview(files);
  const outcome = { reviewId: review.id, studies: built.studies.length, works: built.works.length };
  if (loadedHash()?.hash === files.hash) return { ...outcome, status: "unchanged" };

  // IMMEDIATE takes the write lock before the first read: a deferred transaction that reads and
  // then writes fails at once (SQLITE_BUSY) when another process wrote in between, where this one
  // waits for the busy timeout. The hash is read again under the lock: a server started beside
  // this one may have loaded the same files meanwhile, and loading them twice would renumber ids.
  const loaded = db.transaction((tx) => {
    const existing = loadedHash();
    if (existing?.hash === files.hash) return false;
    // The summaries follow in the same transaction: the review's old rows are taken out before
    // they are deleted and the new ones added after, so readers never see them disagree.
    const sqlite = db.$client;
    const current = summariesCurrent(sqlite);
    if (current && existing) applyReview(sqlite, review.id, -1);
    tx.delete(reviews).where(eq(reviews.id, review.id)).run();
    tx.insert(reviews)
      .values({ ...review, dataHash: files.hash, loadedAt: now.toISOString() })
      .run();

    const workIds = new Map<string, number>();
    for (const w of built.works) {
      const { id } = tx
        .insert(works)
        .values({
          reviewId: review.id,
          authors: w.authors,
          year: w.year,
          title: w.title,
          venue: w.venue,
          volume: w.volume,
          issue: w.issue,
          pages: w.pages,
          raw: w.raw,
          offTopic: w.offTopic,
        })
        .returning({ id: works.id })
        .get();
      workIds.set(w.key, id);
      for (const e of w.entries) tx.insert(workEntries).values({ reviewId: review.id, workId: id, ...e }).run();
    }

    for (const s of built.studies) {
      const { id } = tx
        .insert(studies)
        .values({
          reviewId: review.id,
          organ: s.row.organ,
          conditionPrinted: s.row.condition_printed,
          condition: s.row.condition,
          methodText: s.row.method_printed,
          strategy: s.strategy,
          year: s.row.year,
          modality: s.modality?.modality ?? null,
          modalitySource: s.modality?.source ?? null,
          authorsPrinted: s.row.authors_printed,
          sourceTable: s.row.table,
          sourceRow: s.row.row,
        })
        .returning({ id: studies.id })
        .get();
      for (const backbone of s.backbones) tx.insert(studyBackbones).values({ studyId: id, backbone }).run();
      if (s.accuracy) {
        const { value, low, high, text } = s.accuracy;
        tx.insert(studyResults).values({ studyId: id, metric: "accuracy", value, low, high, text }).run();
      }
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

/** Loads every review folder under the data directory. */
export function loadAll(db: Db, dataDir: string): LoadOutcome[] {
  return listReviewDirs(dataDir).map((dir) => loadReview(db, readReviewFiles(dir)));
}
