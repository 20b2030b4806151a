import { OpenAPIHono } from "@hono/zod-openapi";
import type { Db } from "./db/client.js";
import { healthRoutes } from "./api/health.js";
import { metricRoutes } from "./api/metric.js";
import { reviewRoutes } from "./api/reviews.js";
import { ApiError } from "./api/problem.js";
import { referenceRoutes } from "./api/references.js";
import { methodRoutes } from "./api/methods.js";
import { cacheHeaders, fixedCacheControl } from "./api/etag.js";
import { securityHeaders } from "./api/security-headers.js";
import { sendDrafts } from "./api/draft-response.js";
import { readOnlyCors } from "./api/cors.js";
import { knownReadPath, READ_METHODS } from "./api/methods-allowed.js";
import { snapshotPerRequest } from "./api/snapshot-per-request.js";
import { setQueryCache } from "./cache/query-cache.js";
import { responseCache } from "./cache/response-cache.js";
import { studiesRoutes } from "./api/studies.js";
import { statsRoutes } from "./api/stats.js";
import { trendsRoutes } from "./api/trends.js";
import { recommendationsRoutes } from "./api/recommendations.js";
import { mountDocs } from "./api/openapi.js";
import { briefRoutes } from "./api/brief.js";
import { webRoutes } from "./web/routes.js";

/** `cache: false` turns off the query-result and response caches (LITREVIEW_CACHE=off); ETags still apply. */
export type AppDeps = { db: Db; cache?: boolean };
export type AppEnv = { Variables: { db: Db } };

/** Builds the HTTP app; reads no environment, so tests, the CLI and the benchmark build it the same way. */
export function createApp({ db, cache = true }: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  setQueryCache(db, cache);
  // Outermost: an answer drafted with a plain header record (the page of studies) is built once
  // every middleware below has set its headers (api/draft-response.ts).
  app.use("*", sendDrafts());
  // Outermost but for that, so errors, 304s and stored answers carry them too.
  app.use("*", securityHeaders());
  app.use("/v1/*", readOnlyCors());
  app.use("*", async (c, next) => {
    c.set("db", db);
    await next();
  });
  // Before the response cache, so the data version it keys on is the snapshot's. The brief waits
  // for a render slot and takes its snapshot itself; pages and assets read no data.
  app.use("*", snapshotPerRequest(db, (path) => !(path.startsWith("/v1/") || path === "/health") || path === "/v1/brief"));
  // Outside cacheHeaders, so a stored answer keeps the ETag computed for it.
  // The brief too: a stored brief is replayed without routing, so a crowd asking for it costs what
  // a crowd asking for cached stats does, and /health keeps its turn (npm run soak).
  if (cache) app.use("*", responseCache(db, { prefixes: ["/v1/stats", "/v1/trends", "/v1/recommendations", "/v1/brief", "/brief"] }));
  app.use("*", cacheHeaders());
  // Inside cacheHeaders, which keeps a policy the route set: liveness must never come from a cache.
  app.use("/health", fixedCacheControl("no-store"));
  const readPath = knownReadPath(app);
  app.notFound((c) => {
    // A GET that a route turned away (an unknown asset name) is a 404 like an unknown path.
    const read = c.req.method === "GET" || c.req.method === "HEAD";
    if (read || !readPath(c.req.path)) return problem(c.req.path, new ApiError(404, `No route for ${c.req.method} ${c.req.path}`));
    if (c.req.method === "OPTIONS") return new Response(null, { status: 204, headers: { Allow: READ_METHODS } });
    const err = new ApiError(405, `${c.req.method} is not allowed on ${c.req.path}: it is read-only (${READ_METHODS})`);
    return problem(c.req.path, err, { Allow: READ_METHODS });
  });
  app.onError((err, c) => {
    if (err instanceof ApiError) return problem(c.req.path, err, err.retryAfter ? { "Retry-After": String(err.retryAfter) } : {});
    console.error(err);
    return problem(c.req.path, new ApiError(500, "The server could not answer this request"));
  });
  // Registered first but generated per request, so it describes every route mounted below.
  mountDocs(app);
  return app.route("/", healthRoutes).route("/", reviewRoutes).route("/", metricRoutes).route("/", referenceRoutes).route("/", methodRoutes).route("/", studiesRoutes).route("/", statsRoutes).route("/", trendsRoutes).route("/", recommendationsRoutes).route("/", briefRoutes).route("/", webRoutes);
}

export type App = ReturnType<typeof createApp>;

function problem(instance: string, err: ApiError, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(err.toProblem(instance)), {
    status: err.status,
    headers: { "content-type": "application/problem+json", ...headers },
  });
}

/** Turns a zod validation failure into a 400 naming the first offending parameter. */
function validationHook(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  if (result.success || !result.error) return;
  const issue = result.error.issues[0];
  const parameter = issue?.path.map(String).join(".") || undefined;
  throw new ApiError(400, `${parameter ?? "request"}: ${issue?.message ?? "invalid"}`, parameter);
}
