import type { MiddlewareHandler } from "hono";
import type { Db } from "../db/client.js";
import { inWriteTransaction } from "../db/snapshot.js";
import { dataVersion } from "./data-version.js";

// Bytes and a plain header record: @hono/node-server writes such a Response straight to the
// socket, where an ArrayBuffer body or a Headers object sends it through its slower paths.
type Stored = { body: Uint8Array<ArrayBuffer>; headers: Record<string, string>; notModified: Record<string, string>; etag: string | null };

export type ResponseCacheOptions = {
  /** Path prefixes whose GET answers are cached: the aggregates, which cost a scan each. */
  prefixes: readonly string[];
  maxEntries?: number;
  /** Bodies are kept whole; a cap on their total keeps a burst of big answers from growing RSS. */
  maxBytes?: number;
  /** Larger answers are served but not kept (a recommendation listing every study id, say). */
  maxBodyBytes?: number;
};

/**
 * Keeps the finished bytes of successful aggregate answers, keyed by the data version and the
 * exact URL, and replays them without routing, validation, the query or JSON serialization. The
 * query-level cache (cachedQuery) already avoids the scan; this one removes the per-request work
 * around it, which is what bounds requests per second. A matching If-None-Match gets its 304 here.
 * Like cachedQuery it never answers across a data change (see dataVersion) and steps aside
 * inside an open write transaction (a request's read snapshot is no reason to).
 */
export function responseCache(db: Db, { prefixes, maxEntries = 512, maxBytes = 32 * 2 ** 20, maxBodyBytes = 2 ** 20 }: ResponseCacheOptions): MiddlewareHandler {
  let version = "";
  let bytes = 0;
  const entries = new Map<string, Stored>();
  const evict = (key: string) => {
    const e = entries.get(key);
    if (e) bytes -= e.body.byteLength;
    entries.delete(key);
  };

  return async (c, next) => {
    if (c.req.method !== "GET" || !prefixes.some((p) => c.req.path.startsWith(p)) || inWriteTransaction(db.$client)) return next();
    const now = dataVersion(db.$client);
    if (now !== version) {
      entries.clear();
      bytes = 0;
      version = now;
    }
    const key = c.req.url;
    const hit = entries.get(key);
    if (hit) {
      entries.delete(key);
      entries.set(key, hit); // most recently used
      const match = hit.etag !== null && c.req.header("if-none-match")?.split(/\s*,\s*/).includes(hit.etag);
      c.res = match ? new Response(null, { status: 304, headers: hit.notModified }) : new Response(hit.body, { status: 200, headers: hit.headers });
      return;
    }
    await next();
    if (c.res.status !== 200) return;
    const res = c.res;
    const body = new Uint8Array(await res.arrayBuffer());
    // Cleared first: assigning over an existing response makes hono copy it, body stream and all.
    c.res = undefined;
    c.res = new Response(body, { status: 200, headers: res.headers });
    if (body.byteLength > maxBodyBytes) return;
    const headers = Object.fromEntries(res.headers.entries());
    const notModified = Object.fromEntries(Object.entries(headers).filter(([k]) => k === "etag" || k === "cache-control"));
    entries.set(key, { body, headers, notModified, etag: headers.etag ?? null });
    bytes += body.byteLength;
    for (const oldest of entries.keys()) {
      if (entries.size <= maxEntries && bytes <= maxBytes) break;
      evict(oldest);
    }
  };
}
