import { rmSync } from "node:fs";
import { readConfig } from "../config.js";
import { describeLoad, openAndLoad } from "./setup.js";

// Rebuilds the database from data/: the file and its WAL companions are removed first.
const config = readConfig();
for (const suffix of ["", "-wal", "-shm"]) rmSync(config.DATABASE_PATH + suffix, { force: true });
const load = openAndLoad(config.DATABASE_PATH, config.DATA_DIR);
load.db.$client.close();
for (const line of describeLoad(load)) console.log(line);
console.log(`rebuilt ${config.DATABASE_PATH}`);
