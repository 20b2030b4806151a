import type { MiddlewareHandler } from "hono";
import type { Db } from "../db/client.js";
import { beginSnapshot, endSnapshot } from "../db/snapshot.js";

/**
 * Each request's reads (count, page, hydration, provenance, the data version its caches key on)
 * come from one snapshot: a read transaction around the route, so a review reloaded by another
 * process meanwhile is seen entirely or not at all, never half.
 *
 * One connection holds one transaction, so two requests must not share it: a route that awaits
 * I/O while holding it (the first citation export, which imports citation-js) makes the next
 * request wait for it, never read inside it. Routes that wait long (the brief, for a render slot)
 * are skipped here and take their snapshot themselves (readSnapshot) before waiting.
 */
export function snapshotPerRequest(db: Db, skip: (path: string) => boolean): MiddlewareHandler {
  let held: Promise<void> | null = null;
  return async (c, next) => {
    if (skip(c.req.path)) return next();
    while (held) await held;
    const sqlite = db.$client;
    // A transaction opened by the caller (a test, the CLI): its reads already share one snapshot.
    if (sqlite.inTransaction) return next();
    let release = () => {};
    held = new Promise<void>((resolve) => {
      release = resolve;
    });
    beginSnapshot(sqlite);
    try {
      await next();
    } finally {
      endSnapshot(sqlite);
      held = null;
      release();
    }
  };
}
