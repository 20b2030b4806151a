import type { Hono } from "hono";

export const READ_METHODS = "GET, HEAD";

/**
 * Whether a path is one the app answers with GET, from the routes it registered: so a POST, PUT or
 * DELETE there is a 405 with `Allow` (RFC 9110 §15.5.6), and only an unknown path is a 404.
 * Built on the first miss, when every route is mounted.
 */
export function knownReadPath(app: Pick<Hono, "routes">): (path: string) => boolean {
  let patterns: RegExp[] | undefined;
  return (path) => {
    patterns ??= app.routes
      .filter((r) => r.method === "GET")
      .map((r) => new RegExp(`^${r.path.split("/").map(segment).join("/")}/?$`));
    return patterns.some((p) => p.test(path));
  };
}

const segment = (s: string) => {
  if (s.startsWith(":")) return "[^/]+";
  if (s === "*") return ".*";
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
};
