import { serve } from "@hono/node-server";
import { createApp } from "./app.js";
import { readConfig } from "./config.js";
import { describeLoad, openAndLoad } from "./db/setup.js";

const config = readConfig();
const load = openAndLoad(config.DATABASE_PATH, config.DATA_DIR);
const { db } = load;
for (const line of describeLoad(load)) console.log(line);
serve({ fetch: createApp({ db, cache: config.LITREVIEW_CACHE === "on" }).fetch, port: config.PORT, hostname: config.HOST }, (info) => {
  const caches = config.LITREVIEW_CACHE === "off" ? ", caches off" : "";
  console.log(`litreview listening on http://${config.HOST}:${info.port} (database ${config.DATABASE_PATH}${caches})`);
});
