import { serve } from "@hono/node-server";
import { createApp } from "./app.js";
import { readConfig } from "./config.js";
import { openAndLoad } from "./db/setup.js";

const config = readConfig();
const { db, loaded } = openAndLoad(config.DATABASE_PATH, config.DATA_DIR);
for (const l of loaded) console.log(`review ${l.reviewId}: ${l.status} (${l.studies} studies, ${l.works} works)`);
serve({ fetch: createApp({ db, cache: config.LITREVIEW_CACHE === "on" }).fetch, port: config.PORT, hostname: config.HOST }, (info) => {
  const caches = config.LITREVIEW_CACHE === "off" ? ", caches off" : "";
  console.log(`litreview listening on http://${config.HOST}:${info.port} (database ${config.DATABASE_PATH}${caches})`);
});
