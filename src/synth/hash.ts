import { createHash } from "node:crypto";
import type Database from "better-sqlite3";

const CONTENT_TABLES = ["reviews", "works", "work_entries", "studies", "study_backbones", "study_results", "citation_links"];

/** SHA-256 over every row of the evidence tables in rowid order: equal hashes mean equal corpora. */
export function contentHash(sqlite: Database.Database): string {
  const hash = createHash("sha256");
  for (const table of CONTENT_TABLES) {
    hash.update(`\u0000${table}\u0000`);
    for (const row of sqlite.prepare(`SELECT * FROM ${table} ORDER BY rowid`).raw().iterate()) {
      hash.update(JSON.stringify(row));
    }
  }
  return hash.digest("hex");
}
