import type { Db } from "../db/client.js";
import { inWriteTransaction } from "../db/snapshot.js";
import { dataVersion } from "./data-version.js";

export type CacheStats = { hits: number; misses: number; size: number };

// Every entry in a store was computed at the store's version; a new version empties the store.
type Store<O> = { version: string; entries: Map<string, O>; hits: number; misses: number };

// Connections served with the cache off (LITREVIEW_CACHE=off): every call runs its query.
const bypassed = new WeakSet<Db["$client"]>();

/**
 * Turns every cachedQuery off (or back on) for one connection. Per connection, like the stores,
 * so the routes keep calling the cached functions and an app built with `cache: false` still
 * answers each request with its query: what a benchmark of uncached requests needs to measure.
 */
export function setQueryCache(db: Db, enabled: boolean): void {
  if (enabled) bypassed.delete(db.$client);
  else bypassed.add(db.$client);
}

/** Whether answers over this connection may be cached (false with LITREVIEW_CACHE=off). */
export const queryCacheEnabled = (db: Db) => !bypassed.has(db.$client);

/**
 * Wraps an aggregate query `(db, input) => result` so identical calls are answered from memory
 * until the data changes (see dataVersion). The result is shared between callers: treat it as
 * read-only. One store per connection, because total_changes() is per connection; the store is a
 * small LRU, so hostile inputs cannot grow memory without bound.
 */
export function cachedQuery<I, O>(
  query: (db: Db, input: I) => O,
  {
    maxEntries = 256,
    keepWhenOff = false,
  }: {
    maxEntries?: number;
    /** Still cached with the caches off: for what labels an answer (its provenance), not the answer. */
    keepWhenOff?: boolean;
  } = {},
): ((db: Db, input: I) => O) & { stats(db: Db): CacheStats } {
  const stores = new WeakMap<Db["$client"], Store<O>>();
  const storeOf = (db: Db) => {
    let store = stores.get(db.$client);
    if (!store) {
      store = { version: "", entries: new Map(), hits: 0, misses: 0 };
      stores.set(db.$client, store);
    }
    return store;
  };

  const run = (db: Db, input: I): O => {
    // Inside an open write transaction the rows read may still be rolled back, and a rollback does
    // not move the data version back: such a result must not outlive the transaction. A request's
    // read snapshot (src/db/snapshot.ts) reads committed data of one version, which may be kept.
    if (inWriteTransaction(db.$client) || (!keepWhenOff && bypassed.has(db.$client))) return query(db, input);
    const store = storeOf(db);
    const version = dataVersion(db.$client);
    if (version !== store.version) {
      store.entries.clear();
      store.version = version;
    }
    const key = stableKey(input);
    if (store.entries.has(key)) {
      const value = store.entries.get(key) as O;
      // Re-insert to mark it most recently used.
      store.entries.delete(key);
      store.entries.set(key, value);
      store.hits++;
      return value;
    }
    store.misses++;
    const value = query(db, input);
    store.entries.set(key, value);
    if (store.entries.size > maxEntries) store.entries.delete(store.entries.keys().next().value as string);
    return value;
  };
  return Object.assign(run, {
    stats(db: Db): CacheStats {
      const { hits, misses, entries } = storeOf(db);
      return { hits, misses, size: entries.size };
    },
  });
}

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` share an entry. */
export function stableKey(value: unknown): string {
  return (
    JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
    ) ?? "undefined"
  );
}
