import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openDb, migrateDb } from "../../src/db/client.js";
import { loadAll } from "../../src/ingest/load.js";

/**
 * A second writer for the torn-read test: edits one accuracy in a copy of the review and reloads it,
 * over and over, through the real loader (each reload deletes the review's rows and inserts them
 * again in one transaction). Prints one line per reload; runs until killed.
 */
const [path, dataDir] = [process.env.DATABASE_PATH!, process.env.DATA_DIR!];
const file = join(dataDir, "dlmia-2024", "studies.tsv");
const original = readFileSync(file, "utf8");
const db = openDb(path);
migrateDb(db);
for (let i = 0; ; i++) {
  writeFileSync(file, original.replace("\t68.0%\n", `\t${60 + (i % 30)}.5%\n`));
  const [outcome] = loadAll(db, dataDir).loaded;
  console.log(`reload ${i}: ${outcome?.status}`);
}
