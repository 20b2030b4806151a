import { createHash } from "node:crypto";
import type { MiddlewareHandler } from "hono";

/**
 * ETag (a SHA-1 of the body) and Cache-Control on successful GETs; a matching If-None-Match gets
 * a 304 with no body. The data changes only when a review is reloaded, so a short shared max-age
 * is safe and revalidation is cheap. A response that already carries an ETag (a streamed export,
 * a stored answer) keeps it and is not read.
 *
 * Not hono's etag middleware: it clones the response, reads the copy as a stream and hashes it
 * through WebCrypto, and the original then goes out through @hono/node-server's stream path.
 * That cost more than a page's own work besides its SQL. Here the body is read once, hashed
 * synchronously, and sent as bytes, which the node server writes in one go.
 */
export function cacheHeaders(maxAgeSeconds = 300): MiddlewareHandler {
  const cacheControl = `public, max-age=${maxAgeSeconds}`;
  return async (c, next) => {
    await next();
    if (c.req.method !== "GET" && c.req.method !== "HEAD") return;
    const res = c.res;
    if (res.status === 304) res.headers.set("Cache-Control", cacheControl);
    if (res.status !== 200) return;
    let tag = res.headers.get("etag");
    let body: Uint8Array<ArrayBuffer> | null = null;
    if (tag === null) {
      body = new Uint8Array(await res.arrayBuffer());
      tag = `"${createHash("sha1").update(body).digest("hex")}"`;
    }
    const ifNoneMatch = c.req.header("if-none-match");
    const notModified = ifNoneMatch !== undefined && matches(tag, ifNoneMatch);
    // Cleared first: assigning over an existing response makes hono copy it, body stream and all.
    c.res = undefined;
    if (notModified) {
      if (body === null) await res.body?.cancel();
      c.res = new Response(null, { status: 304, headers: { ETag: tag, "Cache-Control": cacheControl } });
      return;
    }
    res.headers.set("ETag", tag);
    res.headers.set("Cache-Control", cacheControl);
    c.res = body === null ? res : new Response(body, { status: 200, headers: res.headers });
  };
}

/** If-None-Match: `*`, or a list of tags compared weakly (RFC 9110 §13.1.2), so W/"x" matches "x". */
function matches(tag: string, ifNoneMatch: string): boolean {
  if (ifNoneMatch.trim() === "*") return true;
  const own = tag.replace(/^W\//, "");
  return ifNoneMatch.match(/"[^"]*"/g)?.includes(own) ?? false;
}
