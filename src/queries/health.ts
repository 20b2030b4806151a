import { count } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { reviews, studies, works } from "../db/schema.js";

export function getHealth(db: Db) {
  const n = (table: typeof reviews | typeof studies | typeof works) => db.select({ n: count() }).from(table).get()?.n ?? 0;
  return { status: "ok" as const, reviews: n(reviews), studies: n(studies), works: n(works) };
}
