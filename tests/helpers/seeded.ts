import { createApp } from "../../src/app.js";
import { DEFAULT_DATA_DIR } from "../../src/config.js";
import { openAndLoad } from "../../src/db/setup.js";

/** A fresh in-memory database with the real migrations and the real curated review. */
export function seededDb() {
  return openAndLoad(":memory:", DEFAULT_DATA_DIR).db;
}

/** The app over a fresh seeded database, for app.request() tests without a network. */
export function seededApp() {
  const db = seededDb();
  return { db, app: createApp({ db }) };
}
