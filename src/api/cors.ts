import type { MiddlewareHandler } from "hono";
import { setHeader } from "./draft-response.js";

const EXPOSED = "ETag, X-Total-Count, X-Next-Cursor, Content-Disposition, Retry-After";

/**
 * The /v1 API is read-only and public, so any origin may call it from a browser (a notebook in
 * Observable or JupyterLite): GET and HEAD, never with credentials (no Allow-Credentials, and the
 * API reads no cookie). Errors carry the headers too, so a notebook can read their problem+json.
 * A preflight is answered here, cached for a day.
 *
 * Not hono's cors(): it touches c.res before the route runs, which makes hono copy every answer
 * (see the note in etag.ts); these headers are set once on the final answer instead.
 */
export function readOnlyCors(): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === "OPTIONS" && c.req.header("access-control-request-method") !== undefined) {
      const headers: Record<string, string> = {
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Methods": "GET, HEAD",
        "Access-Control-Max-Age": "86400",
      };
      // Simple request headers need no permission; others a client asks for (If-None-Match) are harmless on a read.
      const asked = c.req.header("access-control-request-headers");
      if (asked) headers["Access-Control-Allow-Headers"] = asked;
      return new Response(null, { status: 204, headers });
    }
    await next();
    setHeader(c.res, "Access-Control-Allow-Origin", "*");
    setHeader(c.res, "Access-Control-Expose-Headers", EXPOSED);
  };
}
