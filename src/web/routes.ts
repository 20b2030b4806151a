import { readFileSync } from "node:fs";
import { Hono } from "hono";
import type { AppEnv } from "../app.js";

const read = (name: string) => readFileSync(new URL(name, import.meta.url), "utf8");
const PAGE = read("./dashboard.html");
const STYLES = read("./dashboard.css");
const BRIEF_SCRIPT = read("./brief/print-button.js");

// The page and its assets change only with a new release; revalidating costs one small request.
const REVALIDATE = "no-cache";

/** The dashboard: one static page and its two assets; every number on it comes from /v1. */
export const webRoutes = new Hono<AppEnv>()
  .get("/", (c) => c.html(PAGE, 200, { "cache-control": REVALIDATE }))
  .get("/assets/dashboard.css", (c) => c.body(STYLES, 200, { "content-type": "text/css; charset=utf-8", "cache-control": REVALIDATE }))
  .get("/assets/brief.js", (c) => c.body(BRIEF_SCRIPT, 200, { "content-type": "text/javascript; charset=utf-8", "cache-control": REVALIDATE }))
  .get("/assets/dashboard.js", async (c) =>
    // esbuild is imported with the first request for the script, not at every server start.
    c.body(await (await import("./bundle.js")).dashboardScript(), 200, { "content-type": "text/javascript; charset=utf-8", "cache-control": REVALIDATE }),
  );
