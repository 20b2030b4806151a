import { z } from "@hono/zod-openapi";
import type { Keyset, Sort } from "../queries/studies.js";
import { ApiError } from "./problem.js";

/** What a cursor holds: the sort it was made for, the last row's sort key, and its id. */
const CursorSchema = z.tuple([z.string(), z.union([z.string(), z.number(), z.null()]), z.number().int()]);

/** Opaque to clients: base64url of a small JSON array. Not signed: a forged one only pages oddly. */
export function encodeCursor(sort: Sort, at: Keyset): string {
  return Buffer.from(JSON.stringify([sort, at.key, at.id])).toString("base64url");
}

export function decodeCursor(cursor: string, sort: Sort): Keyset {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    parsed = undefined;
  }
  const result = CursorSchema.safeParse(parsed);
  if (!result.success) throw new ApiError(400, "cursor: not a cursor this API issued; use meta.next_cursor as given", "cursor");
  const [madeFor, key, id] = result.data;
  if (madeFor !== sort) {
    throw new ApiError(400, `cursor: it was issued for sort=${madeFor}, not sort=${sort}; keep the same sort while paging`, "cursor");
  }
  return { key, id };
}
