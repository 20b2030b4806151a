import { rmSync } from "node:fs";
import { readConfig } from "../config.js";
import { openAndLoad } from "./setup.js";

// Rebuilds the database from data/: the file and its WAL companions are removed first.
const config = readConfig();
for (const suffix of ["", "-wal", "-shm"]) rmSync(config.DATABASE_PATH + suffix, { force: true });
const { db, loaded } = openAndLoad(config.DATABASE_PATH, config.DATA_DIR);
db.$client.close();
for (const l of loaded) console.log(`review ${l.reviewId}: ${l.status} (${l.studies} studies, ${l.works} works)`);
console.log(`rebuilt ${config.DATABASE_PATH}`);
