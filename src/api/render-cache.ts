import type { Db } from "../db/client.js";
import { dataVersion } from "../cache/data-version.js";
import { queryCacheEnabled } from "../cache/query-cache.js";

/**
 * Rendered answers (the brief as HTML or Markdown) kept by data version and request, like the
 * other caches: a new version empties it, so it is never stale. It keeps the pending render, so
 * fifty requests for one brief share one render; a failed render is forgotten. Bounded by count
 * and by size: at most `maxEntries` answers and `maxBytes` of text in all (least recently used
 * go first), none larger than `maxEntryBytes` kept (a brief of a large corpus is drawn each time
 * rather than crowd out the others).
 *
 * Call `lookup` inside the request's read snapshot, so the version is the one the brief is read at.
 */
export function renderCache({ maxEntries = 64, maxBytes = 32 * 2 ** 20, maxEntryBytes = 4 * 2 ** 20 } = {}) {
  type Entry = { text: Promise<string>; bytes: number };
  type Store = { version: string; entries: Map<string, Entry>; bytes: number };
  const stores = new WeakMap<Db["$client"], Store>();

  /** Drops the least recently used answers until both bounds hold. */
  const trim = (store: Store) => {
    for (const [key, entry] of store.entries) {
      if (store.entries.size <= maxEntries && store.bytes <= maxBytes) return;
      store.entries.delete(key);
      store.bytes -= entry.bytes;
    }
  };

  return function lookup(db: Db, key: string, render: () => Promise<string>): Promise<string> {
    if (!queryCacheEnabled(db)) return render();
    const version = dataVersion(db.$client);
    let store = stores.get(db.$client);
    if (!store || store.version !== version) {
      store = { version, entries: new Map(), bytes: 0 };
      stores.set(db.$client, store);
    }
    const { entries } = store;
    const hit = entries.get(key);
    if (hit) {
      entries.delete(key);
      entries.set(key, hit); // most recently used
      return hit.text;
    }
    const entry: Entry = { text: render(), bytes: 0 };
    entries.set(key, entry);
    trim(store);
    const current = store;
    entry.text.then(
      (text) => {
        if (entries.get(key) !== entry) return;
        // JavaScript strings: two bytes a code unit, a fair bound of what the text holds.
        const bytes = text.length * 2;
        if (bytes > maxEntryBytes) return void entries.delete(key);
        entry.bytes = bytes;
        current.bytes += bytes;
        trim(current);
      },
      () => {
        if (entries.get(key) === entry) entries.delete(key);
      },
    );
    return entry.text;
  };
}
