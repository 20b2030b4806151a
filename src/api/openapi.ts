import type { OpenAPIHono } from "@hono/zod-openapi";
import { Scalar } from "@scalar/hono-api-reference";
import type { AppEnv } from "../app.js";

export const OPENAPI_INFO = {
  title: "litreview API",
  version: "1.0.0",
  description:
    "A queryable evidence base built from published literature reviews: filter and export the studies, aggregate and trend their reported results, and rank transfer-learning options per domain. Every answer's meta.provenance names the source review and its citation. Studies differ in task, dataset and size: statistics are descriptive, never a verdict by vote counting.",
};

/**
 * GET /openapi.json, generated from the same zod schemas that validate requests, and GET /docs,
 * an interactive reference (Scalar). Scalar's page loads its script from the jsDelivr CDN, so
 * /docs needs network access in the browser; /openapi.json does not.
 */
export function mountDocs(app: OpenAPIHono<AppEnv>): void {
  app.doc31("/openapi.json", { openapi: "3.1.0", info: OPENAPI_INFO });
  app.get("/docs", Scalar({ url: "/openapi.json", pageTitle: "litreview API reference" }));
}
