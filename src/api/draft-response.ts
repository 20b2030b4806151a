import type { Context, MiddlewareHandler } from "hono";

type Draft = { body: Uint8Array<ArrayBuffer>; status: number; headers: Record<string, string> };

// Answers whose headers are still a plain record, until sendDrafts builds the Response that leaves.
const drafts = new WeakMap<Response, Draft>();

/**
 * An answer whose headers the middlewares set in a plain record (setHeader) rather than in the
 * Response's Headers. @hono/node-server writes a Response built with a plain record straight to the
 * socket; reading `res.headers` once makes it build an undici Headers object, whose every set is
 * checked and which is then copied back into a record: a tenth of a page's server CPU for the
 * eight headers our middlewares add (issue 12). For the hottest answer, the page of studies.
 */
export function draftResponse(body: Uint8Array<ArrayBuffer>, status: number, headers: Record<string, string>): Response {
  const res = new Response(body, { status, headers });
  drafts.set(res, { body, status, headers });
  return res;
}

/** The draft's record, if `res` is one: header names in it are lower case. */
const recordOf = (res: Response) => drafts.get(res)?.headers;

/** Sets a header on an answer, in its draft record when it has one. */
export function setHeader(res: Response, name: string, value: string): void {
  const record = recordOf(res);
  if (record) record[name.toLowerCase()] = value;
  else res.headers.set(name, value);
}

export function getHeader(res: Response, name: string): string | null {
  const record = recordOf(res);
  return record ? (record[name.toLowerCase()] ?? null) : res.headers.get(name);
}

/** Whether `res` is a draft, whose body is at hand without reading the Response. */
export const draftBody = (res: Response) => drafts.get(res)?.body;

/**
 * The outermost middleware: replaces a draft by the Response built from its record, with every
 * header the middlewares set. A middleware between must set and read headers through
 * setHeader/getHeader (security-headers, cors, etag do), or its change would be lost here.
 */
export function sendDrafts(): MiddlewareHandler {
  return async (c: Context, next) => {
    await next();
    const draft = drafts.get(c.res);
    if (!draft) return;
    // Cleared first: assigning over an existing response makes hono copy it, headers and all.
    c.res = undefined;
    c.res = new Response(draft.body, { status: draft.status, headers: draft.headers });
  };
}
