/**
 * The column store's memory (docs/decisions/0009, round 2): RSS, V8 heap and external bytes of
 * this process before and after a build, each after a full GC, and the bytes of every column.
 *
 *   node --expose-gc --import tsx scripts/store-memory.ts <database> [--metric accuracy]
 *
 * Opens the database read-only; printed, never asserted.
 */
import { openDb } from "../src/db/client.js";
import { CODED, loadColumns, loadMetric, made, postingsBuilt, type ColumnStore } from "../src/columns/store.js";

const path = process.argv[2];
if (!path) throw new Error("usage: node --expose-gc --import tsx scripts/store-memory.ts <database> [--metric name]");
const metricAt = process.argv.indexOf("--metric");
const metric = metricAt > 0 ? process.argv[metricAt + 1] : "accuracy";
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc");

const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;
function snapshot(label: string): NodeJS.MemoryUsage {
  gc!();
  gc!();
  const m = process.memoryUsage();
  console.log(`${label.padEnd(28)} rss ${mb(m.rss).padStart(9)}  heap ${mb(m.heapUsed).padStart(9)} of ${mb(m.heapTotal).padStart(9)}  external ${mb(m.external).padStart(9)}`);
  return m;
}

const before = snapshot("opened, before the build");
const db = openDb(path, { readOnly: true });
const sqlite = db.$client;
const started = performance.now();
const store = sqlite.transaction(() => {
  const s = loadColumns(sqlite);
  if (metric) s.metrics.set(metric, loadMetric(sqlite, s, metric));
  return s;
})();
const ms = performance.now() - started;
const peak = process.memoryUsage();
console.log(`${"built (no GC yet)".padEnd(28)} rss ${mb(peak.rss).padStart(9)}  heap ${mb(peak.heapUsed).padStart(9)}  (build ${ms.toFixed(0)} ms, ${store.n} studies)`);
const after = snapshot("built, after GC");
sqlite.pragma("shrink_memory");
const shrunk = snapshot("after sqlite shrink_memory");
console.log(`store: rss +${mb(after.rss - before.rss)} (+${mb(shrunk.rss - before.rss)} after shrink), typed arrays ${mb(columnBytes(store).total)}`);
for (const [name, bytes] of columnBytes(store).parts) console.log(`  ${name.padEnd(24)} ${mb(bytes).padStart(9)}`);

function columnBytes(s: ColumnStore): { total: number; parts: [string, number][] } {
  // What is made on first read (store.ts: posting lists, the year, a metric's values) is listed only once made.
  const parts: [string, number][] = [["ids", s.ids.byteLength], ["year", made(s, "year") ? s.year.byteLength : 0], ["backbones (per study)", s.bbStart.byteLength + s.bbCode.byteLength]];
  for (const [k, c] of Object.entries(s.codes)) parts.push([`codes.${k} (${c.constructor.name})`, c.byteLength]);
  for (const k of [...CODED, "backbone"] as const) {
    if (postingsBuilt(s, k)) parts.push([`postings.${k}`, s.postings[k].start.byteLength + s.postings[k].entries.byteLength]);
  }
  const extra = s as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(extra)) if (ArrayBuffer.isView(v) && !["ids", "year", "bbStart", "bbCode"].includes(k)) parts.push([k, v.byteLength]);
  for (const [name, m] of s.metrics) {
    const value = made(m, "value") ? m.value.byteLength : 0;
    parts.push([`metric ${name} (value ${value ? "made" : "not made"})`, value + m.rank.byteLength + m.distinct.byteLength + m.byRank.start.byteLength + m.byRank.entries.byteLength]);
  }
  return { total: parts.reduce((t, [, b]) => t + b, 0), parts };
}
// Keep the store alive through the last snapshot.
if (store.n < 0) console.log(store);
