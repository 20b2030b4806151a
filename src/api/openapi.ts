import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app.js";

export const OPENAPI_INFO = {
  title: "litreview API",
  version: "1.0.0",
  description:
    "A queryable evidence base built from published literature reviews: filter and export the studies, aggregate and trend their reported results, and rank transfer-learning options per domain. Every answer's meta.provenance names the source review and its citation. Studies differ in task, dataset and size: statistics are descriptive, never a verdict by vote counting.",
};

// Swagger UI's prebuilt bundle is served from node_modules, so /docs works offline like the dashboard.
const SWAGGER_DIR = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
const ASSETS = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
} as const;
type Asset = keyof typeof ASSETS;
const loaded = new Map<Asset, string>();
const asset = (name: Asset) => {
  let body = loaded.get(name);
  if (body === undefined) {
    body = readFileSync(join(SWAGGER_DIR, name), "utf8");
    loaded.set(name, body);
  }
  return body;
};

const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>litreview API reference</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="reference"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/init.js"></script>
</body>
</html>`;

// A file, not an inline <script>: the pages' Content-Security-Policy runs only scripts from this origin.
const INIT_JS = `window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#reference", deepLinking: true, tryItOutEnabled: true });\n`;

/**
 * GET /openapi.json, generated from the same zod schemas that validate requests, and GET /docs,
 * an interactive reference (Swagger UI) with "try it out" against this server.
 */
export function mountDocs(app: OpenAPIHono<AppEnv>): void {
  app.doc31("/openapi.json", { openapi: "3.1.0", info: OPENAPI_INFO });
  app.get("/docs", (c) => c.html(DOCS_HTML));
  app.get("/docs/assets/init.js", (c) => c.body(INIT_JS, 200, { "content-type": "text/javascript; charset=utf-8" }));
  app.get("/docs/assets/:name", (c) => {
    const name = c.req.param("name");
    if (!Object.hasOwn(ASSETS, name)) return c.notFound();
    return c.body(asset(name as Asset), 200, { "content-type": ASSETS[name as Asset] });
  });
}
