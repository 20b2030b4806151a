import type { MiddlewareHandler } from "hono";
import { etag } from "hono/etag";

/**
 * ETag (a SHA-1 of the body, from hono's etag middleware) and Cache-Control on successful GETs;
 * a matching If-None-Match gets a 304 with no body. The data changes only when a review is
 * reloaded, so a short shared max-age is safe and revalidation is cheap.
 */
export function cacheHeaders(maxAgeSeconds = 300): MiddlewareHandler {
  const tagger = etag();
  return async (c, next) => {
    await tagger(c, next);
    // hono's 304 keeps only the ETag, so Cache-Control is (re)applied here to 200s and 304s alike.
    if ((c.req.method === "GET" || c.req.method === "HEAD") && (c.res.status === 200 || c.res.status === 304)) {
      c.res.headers.set("Cache-Control", `public, max-age=${maxAgeSeconds}`);
    }
  };
}
