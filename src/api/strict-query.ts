import type { z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { ApiError } from "./problem.js";

/**
 * Rejects query parameters the route does not declare, naming them: a typo such as `?orgna=brain`
 * must not silently return every study. Pass the same zod object the route validates with, as
 * `middleware: [strictQuery(MyQuerySchema)]` in createRoute, so the allowed list cannot drift.
 */
export function strictQuery(schema: z.ZodObject): MiddlewareHandler {
  const allowed = new Set(Object.keys(schema.shape));
  return async (c, next) => {
    const unknown = Object.keys(c.req.queries()).filter((k) => !allowed.has(k));
    if (unknown.length > 0) {
      const names = unknown.map((k) => JSON.stringify(k.slice(0, 100))).join(", ");
      const known = [...allowed].join(", ") || "none";
      throw new ApiError(400, `Unknown query parameter${unknown.length > 1 ? "s" : ""} ${names}; this endpoint accepts: ${known}`, unknown[0]!.slice(0, 100));
    }
    await next();
  };
}
