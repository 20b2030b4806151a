import { existsSync, rmSync } from "node:fs";
import type Database from "better-sqlite3";
import { migrateDb, openDb } from "../db/client.js";
import { generateReview, STUDIES_PER_REVIEW, type IdCounters, type RowSink } from "./generate.js";
import { rebuildSummaries } from "../summary/build.js";
import { createRng } from "./prng.js";

export type SynthOptions = {
  studies: number;
  out: string;
  seed: number;
  /** Called now and then with studies written so far. */
  onProgress?: (done: number, total: number) => void;
};

export type SynthSummary = {
  studies: number;
  reviews: number;
  works: number;
  results: number;
  ms: number;
  /** Milliseconds per phase: rows, indexes, full-text. */
  phases: Record<"rows" | "indexes" | "fullText" | "summaries", number>;
};

// Columns named, not implied: a column added later with a default must not shift the values.
const TABLES = {
  review: ["reviews", "id, title, authors, affiliations, submitted, reviewed, accepted, keywords, citation, source_file, data_hash, loaded_at"],
  work: ["works", "id, review_id, authors, year, title, venue, volume, issue, pages, raw, off_topic"],
  workEntry: ["work_entries", "review_id, position, printed_number, work_id, raw"],
  study: ["studies", "id, review_id, organ, condition_printed, condition, method_text, strategy, year, modality, modality_source, authors_printed, source_table, source_row"],
  backbone: ["study_backbones", "study_id, backbone"],
  result: ["study_results", "id, study_id, metric, value, low, high, text, scale"],
  citation: ["citation_links", "study_id, printed, printed_number, work_id, confidence, status, evidence, reason"],
} as const satisfies Record<keyof RowSink, readonly [string, string]>;

// Rows per INSERT: one call into SQLite per 100 rows instead of per row (the per-call cost dominates).
const BATCH = 100;
// Studies per transaction: big enough that commits are rare, small enough to show progress.
const COMMIT_EVERY = 50_000;

/**
 * Writes a synthetic corpus to a new database file through the real migrations. Indexes and
 * triggers are dropped during the load and re-created from their own stored SQL afterwards, so the
 * result has exactly the schema the migrations define (building an index once over sorted data is
 * several times faster than keeping it up to date row by row).
 */
export function synthesize({ studies, out, seed, onProgress }: SynthOptions): SynthSummary {
  const started = performance.now();
  if (out !== ":memory:") for (const f of [out, `${out}-wal`, `${out}-shm`]) if (existsSync(f)) rmSync(f);
  const db = openDb(out);
  migrateDb(db);
  const sqlite = db.$client;

  const saved = dropIndexesAndTriggers(sqlite);
  // Load-only settings: a crash mid-load leaves a file nobody will use, so durability is not needed.
  sqlite.pragma("journal_mode = OFF");
  sqlite.pragma("synchronous = OFF");
  sqlite.pragma("foreign_keys = OFF");
  sqlite.pragma("cache_size = -262144");
  sqlite.pragma("threads = 2");

  const sinks = Object.fromEntries(
    Object.entries(TABLES).map(([key, [table, columnList]]) => [key, batcher(sqlite, table, columnList)]),
  ) as Record<keyof RowSink, Batcher>;
  const sink = Object.fromEntries(Object.entries(sinks).map(([k, b]) => [k, b.push])) as RowSink;

  const rng = createRng(seed);
  const ids: IdCounters = { work: 0, study: 0, result: 0 };
  const reviews = Math.ceil(studies / STUDIES_PER_REVIEW);
  const flushAll = () => {
    for (const b of Object.values(sinks)) b.flush();
  };
  let inTransaction = false;
  for (let r = 0; r < reviews; r++) {
    if (!inTransaction) {
      sqlite.exec("BEGIN");
      inTransaction = true;
    }
    const count = Math.min(STUDIES_PER_REVIEW, studies - r * STUDIES_PER_REVIEW);
    generateReview(rng, r, count, ids, seed, sink);
    if ((r + 1) % (COMMIT_EVERY / STUDIES_PER_REVIEW) === 0 || r === reviews - 1) {
      flushAll();
      sqlite.exec("COMMIT");
      inTransaction = false;
      onProgress?.(ids.study, studies);
    }
  }

  const rowsDone = performance.now();
  sqlite.exec("BEGIN");
  for (const sql of saved) sqlite.exec(sql);
  const indexesDone = performance.now();
  rebuildFullText(sqlite);
  sqlite.exec("COMMIT");
  const fullTextDone = performance.now();
  // The generation triggers were dropped for the load, so the summaries are built once here.
  rebuildSummaries(sqlite);
  const phases = {
    rows: rowsDone - started,
    indexes: indexesDone - rowsDone,
    fullText: fullTextDone - indexesDone,
    summaries: performance.now() - fullTextDone,
  };

  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("synchronous = NORMAL");
  if (out !== ":memory:") sqlite.pragma("journal_mode = WAL");
  sqlite.close();
  return { studies: ids.study, reviews, works: ids.work, results: ids.result, ms: performance.now() - started, phases };
}

type Batcher = { push: (values: unknown[]) => void; flush: () => void };

function batcher(sqlite: Database.Database, table: string, columnList: string): Batcher {
  const columns = columnList.split(",").length;
  const tuple = `(${Array(columns).fill("?").join(",")})`;
  const many = sqlite.prepare(`INSERT INTO ${table} (${columnList}) VALUES ${Array(BATCH).fill(tuple).join(",")}`);
  const one = sqlite.prepare(`INSERT INTO ${table} (${columnList}) VALUES ${tuple}`);
  const buffer: unknown[] = [];
  return {
    push(values) {
      for (const v of values) buffer.push(v);
      if (buffer.length === BATCH * columns) {
        many.run(buffer);
        buffer.length = 0;
      }
    },
    flush() {
      for (let i = 0; i < buffer.length; i += columns) one.run(buffer.slice(i, i + columns));
      buffer.length = 0;
    },
  };
}

/** Drops every named index and trigger, returning the SQL that re-creates them. */
function dropIndexesAndTriggers(sqlite: Database.Database): string[] {
  const rows = sqlite
    .prepare(
      "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND name NOT LIKE 'sqlite_%'",
    )
    .all() as { type: "index" | "trigger"; name: string; sql: string }[];
  for (const { type, name } of rows) sqlite.exec(`DROP ${type.toUpperCase()} "${name.replaceAll('"', '""')}"`);
  // Indexes first: a trigger body may rely on nothing, but an index may speed the rebuild below.
  return [...rows.filter((r) => r.type === "index"), ...rows.filter((r) => r.type === "trigger")].map((r) => r.sql);
}

/**
 * The study full-text index (migrations/0001_fts.sql) and the works' trigram index (0007) are
 * kept in step by triggers, which were dropped for the load; each is filled here in one pass from
 * the same view its triggers read.
 */
function rebuildFullText(sqlite: Database.Database): void {
  const has = (...names: string[]) =>
    sqlite.prepare(`SELECT count(*) FROM sqlite_master WHERE name IN (${names.map(() => "?").join(",")})`).pluck().get(...names) === names.length;
  if (has("studies_fts", "studies_fts_source")) {
    sqlite.exec(`DELETE FROM studies_fts;
      INSERT INTO studies_fts(rowid, condition, method, title, authors)
      SELECT study_id, condition, method, title, authors FROM studies_fts_source`);
  }
  if (has("works_search", "works_search_source")) {
    sqlite.exec(`INSERT INTO works_search(works_search) VALUES ('delete-all');
      INSERT INTO works_search(rowid, title, authors, venue) SELECT work_id, title, authors, venue FROM works_search_source`);
  }
}
