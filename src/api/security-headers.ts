import type { MiddlewareHandler } from "hono";
import { getHeader, setHeader } from "./draft-response.js";

/**
 * The pages (dashboard, brief, /docs) run only scripts served from this origin. Styles also
 * allow inline: Observable Plot writes a <style> element into every chart (in the browser and in
 * the brief drawn on the server) and the brief inlines its stylesheet so a saved page prints the
 * same; CSS cannot run script, so the cost of 'unsafe-inline' there is small. Charts and the
 * favicon are data: URIs; the dashboard calls only its own /v1 API.
 */
export const PAGE_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

// Everything else (JSON, CSV, Markdown, SVG opened as a document) may load nothing and be framed by nothing.
export const DATA_POLICY = "default-src 'none'; frame-ancestors 'none'";

/**
 * Headers every answer carries, errors included: a content type the browser must not second-guess
 * (a CSV or Markdown cell that looks like HTML stays text), no Referer leaking a filtered URL to the
 * cited works' sites, and no framing (clickjacking). Set after the route ran, so it knows the type.
 */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const res = c.res;
    setHeader(res, "X-Content-Type-Options", "nosniff");
    setHeader(res, "Referrer-Policy", "no-referrer");
    // frame-ancestors supersedes it; kept for browsers that predate CSP level 2.
    setHeader(res, "X-Frame-Options", "DENY");
    // A 304 has no type, and its headers replace the stored answer's: a page revalidated with the
    // data policy would lose its own scripts. The policy stored with the 200 stays in force.
    if (res.status === 304) return;
    const html = getHeader(res, "content-type")?.startsWith("text/html") ?? false;
    setHeader(res, "Content-Security-Policy", html ? PAGE_POLICY : DATA_POLICY);
  };
}
