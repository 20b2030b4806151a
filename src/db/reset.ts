import { rmSync } from "node:fs";
import { readConfig } from "../config.js";
import { exitWith } from "../startup-failure.js";
import { liveServers } from "./server-lock.js";
import { describeLoad, openAndLoad } from "./setup.js";

// Rebuilds the database from data/: the file and its WAL companions are removed first.
const config = readConfig();
// A server would go on answering from the deleted file (and /health would say ok): refuse instead.
const servers = liveServers(config.DATABASE_PATH);
if (servers.length > 0) {
  exitWith(`database ${config.DATABASE_PATH} is in use by a running server (pid ${servers.join(", ")}): stop it, then run \`npm run db:reset\` again`);
}
for (const suffix of ["", "-wal", "-shm"]) rmSync(config.DATABASE_PATH + suffix, { force: true });
const load = openAndLoad(config.DATABASE_PATH, config.DATA_DIR);
load.db.$client.close();
for (const line of describeLoad(load)) console.log(line);
console.log(`rebuilt ${config.DATABASE_PATH}`);
