import type { Db } from "../db/client.js";
import { dataVersion } from "../cache/data-version.js";
import { queryCacheEnabled } from "../cache/query-cache.js";

/**
 * Rendered answers (the brief as HTML or Markdown) kept by data version and request, like the
 * other caches: a new version empties it, so it is never stale. It keeps the pending render, so
 * fifty requests for one brief share one render; a failed render is forgotten. Small and bounded:
 * `maxEntries` answers, none larger than `maxBytes` kept.
 *
 * Call `lookup` inside the request's read snapshot, so the version is the one the brief is read at.
 */
export function renderCache({ maxEntries = 64, maxBytes = 4 * 2 ** 20 } = {}) {
  const stores = new WeakMap<Db["$client"], { version: string; entries: Map<string, Promise<string>> }>();
  return function lookup(db: Db, key: string, render: () => Promise<string>): Promise<string> {
    if (!queryCacheEnabled(db)) return render();
    const version = dataVersion(db.$client);
    let store = stores.get(db.$client);
    if (!store || store.version !== version) {
      store = { version, entries: new Map() };
      stores.set(db.$client, store);
    }
    const entries = store.entries;
    const hit = entries.get(key);
    if (hit) {
      entries.delete(key);
      entries.set(key, hit); // most recently used
      return hit;
    }
    const pending = render();
    entries.set(key, pending);
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    pending.then(
      (text) => {
        if (text.length > maxBytes && entries.get(key) === pending) entries.delete(key);
      },
      () => {
        if (entries.get(key) === pending) entries.delete(key);
      },
    );
    return pending;
  };
}
