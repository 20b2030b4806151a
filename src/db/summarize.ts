import { readConfig } from "../config.js";
import { rebuildSummaries, summariesComplete } from "../summary/build.js";
import { migrateDb, openDb } from "./client.js";

// Rebuilds the summary tables of a database (the configured one, or the path given) when a
// program other than the loader has written to it; the loader keeps them current by itself.
const path = process.argv[2] ?? readConfig().DATABASE_PATH;
const db = openDb(path);
migrateDb(db);
const sqlite = db.$client;
// A database from before migration 0008 has current histograms but no kept figures: rebuilt too.
if (summariesComplete(sqlite) && !process.argv.includes("--force")) {
  console.log(`${path}: summaries are current`);
} else {
  const started = performance.now();
  rebuildSummaries(sqlite);
  console.log(`${path}: summaries rebuilt in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
sqlite.close();
