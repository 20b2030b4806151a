import { serve } from "@hono/node-server";
import { z } from "zod";
import { createApp } from "./app.js";
import { readConfig } from "./config.js";
import { explainListenError } from "./db/open-errors.js";
import { registerServer } from "./db/server-lock.js";
import { openForServing } from "./db/serving.js";
import { exitWith, failStartup, onExit } from "./startup-failure.js";
import { describeLoad } from "./db/setup.js";
import { warmColumns } from "./columns/registry.js";

const config = failStartup(readConfig, (err) => {
  const issues = err instanceof z.ZodError ? err.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") : String(err);
  return `invalid configuration (${issues}): see "Configuration" in the README`;
});
// Before opening, so `npm run db:reset` sees a server that is still loading.
onExit(registerServer(config.DATABASE_PATH));
const serving = failStartup(() => openForServing(config.DATABASE_PATH, config.DATA_DIR));
const { db, readOnly } = serving;
// A review folder that fails is listed here and in /health; the others are served.
for (const line of describeLoad(serving)) console.log(line);
if (readOnly) console.log(`read-only mode: ${config.DATABASE_PATH} is not writable by this user; serving it as it is, without loading ${config.DATA_DIR}`);
const server = serve({ fetch: createApp({ db, cache: config.LITREVIEW_CACHE === "on" }).fetch, port: config.PORT, hostname: config.HOST }, (info) => {
  const caches = config.LITREVIEW_CACHE === "off" ? ", caches off" : "";
  console.log(`litreview listening on http://${config.HOST}:${info.port} (database ${config.DATABASE_PATH}${caches})`);
});
server.on("error", (err) => exitWith(explainListenError(err, config.HOST, config.PORT)));
// The filtered aggregates' column store (docs/decisions/0006) is built in the background, in a
// thread of its own, from the first poll on (2 s after start) and after any write by another
// process (a load, an import), so no request pays the whole build.
setInterval(() => warmColumns(db), 2000).unref();
