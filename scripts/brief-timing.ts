/**
 * Where an uncached brief's time goes (docs/decisions/0009, round 2): the app in this process with
 * its caches off (every request reads and draws anew), the column store built first, then per
 * scope the medians of whole requests (/v1/brief JSON, /v1/brief?format=html, /brief) and of the
 * parts (getBrief, the drawing in the render worker). Printed, never asserted.
 *
 *   npx tsx scripts/brief-timing.ts <database> [--runs 7]
 */
import { parseArgs } from "node:util";
import { createApp } from "../src/app.js";
import { columnsFor } from "../src/columns/registry.js";
import { openDb } from "../src/db/client.js";
import { getBrief } from "../src/queries/brief.js";
import { renderPool } from "../src/render/pool.js";

const { values, positionals } = parseArgs({ options: { runs: { type: "string", default: "7" } }, allowPositionals: true });
const path = positionals[0];
if (!path) throw new Error("usage: npx tsx scripts/brief-timing.ts <database> [--runs 7]");
const runs = Number(values.runs);

const db = openDb(path, { readOnly: true });
const app = createApp({ db, cache: false });
let t = performance.now();
columnsFor(db);
console.log(`column store build: ${Math.round(performance.now() - t)} ms`);
t = performance.now();
await app.request("/v1/brief?organ=teeth&format=html");
console.log(`first HTML brief (renderer imports): ${Math.round(performance.now() - t)} ms`);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function timed(label: string, f: () => unknown): Promise<void> {
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f();
    xs.push(performance.now() - t0);
  }
  console.log(`  ${label.padEnd(34)} median ${median(xs).toFixed(0).padStart(5)} ms  (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`);
}

const pool = renderPool();
for (const organ of [undefined, "brain"]) {
  const q = organ ? `organ=${organ}` : "";
  console.log(`scope ${organ ?? "whole base"}`);
  const ok = async (url: string) => {
    const res = await app.request(url);
    if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    await res.text();
  };
  await timed("GET /v1/brief (JSON)", () => ok(`/v1/brief?${q}`));
  await timed("GET /v1/brief?format=html", () => ok(`/v1/brief?${q}&format=html`));
  await timed("GET /brief (page)", () => ok(`/brief?${q}`));
  await timed("getBrief", () => getBrief(db, { organ }));
  const brief = getBrief(db, { organ });
  await timed("drawing in the worker (html)", () => pool.render({ format: "html", brief }));
}
await pool.close();
process.exit(0);
