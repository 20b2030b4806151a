import { hash } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { draftBody, draftResponse, getHeader, setHeader } from "./draft-response.js";

/**
 * ETag (a SHA-1 of the body) and Cache-Control on successful GETs; a matching If-None-Match gets
 * a 304 with no body. Cache-Control is a default: a route that sets its own keeps it. The data changes only when a review is reloaded, so a short shared max-age
 * is safe and revalidation is cheap. A response that already carries an ETag (a streamed export,
 * a stored answer) keeps it and is not read.
 *
 * Not hono's etag middleware: it clones the response, reads the copy as a stream and hashes it
 * through WebCrypto, and the original then goes out through @hono/node-server's stream path,
 * which cost more than a page's own work besides its SQL. Here a JSON answer is hashed from the
 * bytes c.json encoded (see keepJsonText), so the response is never read back and leaves as the
 * plain bytes @hono/node-server writes in one go; any other body is read once and sent as bytes.
 */
export function cacheHeaders(maxAgeSeconds = 300): MiddlewareHandler {
  const cacheControl = `public, max-age=${maxAgeSeconds}`;
  return async (c, next) => {
    const json = keepJsonText(c);
    await next();
    if (c.req.method !== "GET" && c.req.method !== "HEAD") return;
    const res = c.res;
    // A route that chose its own policy (no-store for /health, no-cache for the dashboard) keeps it.
    const policy = getHeader(res, "cache-control") ?? cacheControl;
    if (res.status === 304) setHeader(res, "Cache-Control", policy);
    if (res.status !== 200) return;
    const given = getHeader(res, "etag");
    let body: Uint8Array<ArrayBuffer> | null = null;
    let tag = given;
    if (tag === null) {
      const sent = json.bytesOf(res) ?? draftBody(res);
      if (sent === undefined) body = new Uint8Array(await res.arrayBuffer());
      tag = sha1Tag(sent ?? body ?? "");
    }
    const ifNoneMatch = c.req.header("if-none-match");
    if (ifNoneMatch !== undefined && matches(tag, ifNoneMatch)) {
      // A body that was not read (a streamed export) is released.
      if (given !== null) await res.body?.cancel();
      // Cleared first: assigning over an existing response makes hono copy it, body stream and all.
      c.res = undefined;
      c.res = new Response(null, { status: 304, headers: { ETag: tag, "Cache-Control": policy } });
      return;
    }
    setHeader(res, "ETag", tag);
    setHeader(res, "Cache-Control", policy);
    if (body !== null) {
      c.res = undefined;
      c.res = new Response(body, { status: 200, headers: res.headers });
    }
  };
}

// The bytes each JSON answer was sent as, so they can be hashed without reading the Response back.
const jsonBodies = new WeakMap<Response, Uint8Array>();

/**
 * A JSON answer already serialized (as text, or as UTF-8 bytes assembled from parts: see the page
 * of studies), sent as c.json sends one and hashed for its ETag the same way. Encoded once, here:
 * hashing the text and then writing it to the socket would each encode it again (a page is 47 KB).
 */
export function jsonText(c: Context, json: string | Buffer<ArrayBuffer>, arg?: ContentfulStatusCode | ResponseInit, headers?: Record<string, string>): Response {
  const bytes = typeof json === "string" ? Buffer.from(json) : json;
  const res = c.body(bytes, arg as ContentfulStatusCode, { "Content-Type": "application/json", ...headers });
  jsonBodies.set(res, bytes);
  return res;
}

/**
 * A JSON answer assembled as UTF-8 bytes (the page of studies), sent as a draft (see
 * draft-response.ts): its headers stay a plain record up to the socket. Only for a route that set
 * no header through hono (c.header), which a draft would not carry.
 */
export const jsonBytes = (bytes: Buffer<ArrayBuffer>, status: number): Response => draftResponse(bytes, status, { "content-type": "application/json" });

/** Serializes this request's c.json answers itself, as hono does (JSON.stringify, then c.body with a default Content-Type). */
function keepJsonText(c: Context) {
  const json = (object: unknown, arg?: ContentfulStatusCode | ResponseInit, headers?: Record<string, string>) => jsonText(c, JSON.stringify(object), arg, headers);
  // Typed as hono's c.json, whose typed-response generics exist only for the route's compiler checks.
  c.json = json as unknown as Context["json"];
  return { bytesOf: (res: Response) => jsonBodies.get(res) };
}

// One-shot: a Hash object per answer cost as much as hashing a page's 47 KB.
const sha1Tag = (content: string | Uint8Array) => `"${hash("sha1", content, "hex")}"`;

/** If-None-Match: `*`, or a list of tags compared weakly (RFC 9110 §13.1.2), so W/"x" matches "x". */
function matches(tag: string, ifNoneMatch: string): boolean {
  if (ifNoneMatch.trim() === "*") return true;
  const own = tag.replace(/^W\//, "");
  return ifNoneMatch.match(/"[^"]*"/g)?.includes(own) ?? false;
}

/** A route's own Cache-Control (set after it ran), which cacheHeaders then keeps. */
export function fixedCacheControl(value: string): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.res.headers.set("Cache-Control", value);
  };
}
