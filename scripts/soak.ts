import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startServer, stopServer } from "../src/bench/http.js";
import { soak } from "../src/bench/soak.js";

/**
 * npm run soak: a real server on a fresh database, 50 clients asking for the heaviest page (the
 * brief) while one client asks /health; prints /health's latency (alone, then under the hammer)
 * and the server's RSS after the warm-up and after all the briefs, against the issue's targets.
 * `--cache off` makes every brief a render (LITREVIEW_CACHE=off).
 *
 *   npm run soak                                        # 10,000 briefs, 50 connections, cached
 *   npm run soak -- --briefs 2000 --cache off           # every one rendered
 *   npm run soak -- --path "/v1/brief?format=markdown"  # another heavy path
 */
const { values } = parseArgs({
  options: {
    briefs: { type: "string", default: "10000" },
    warmup: { type: "string", default: "100" },
    connections: { type: "string", default: "50" },
    path: { type: "string", default: "/brief?organ=lung" },
    cache: { type: "string", default: "on" },
  },
});
const dir = mkdtempSync(join(tmpdir(), "litreview-soak-"));
const server = await startServer(join(dir, "soak.db"), { LITREVIEW_CACHE: values.cache === "off" ? "off" : "on" });
try {
  const f = await soak(server.url, server.child.pid, {
    path: values.path,
    connections: Number(values.connections),
    requests: Number(values.briefs),
    warmup: Number(values.warmup),
  });
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  const mb = (n: number | null) => (n === null ? "?" : `${n.toFixed(0)} MB`);
  console.log(`soak: ${f.heavy.requests} × GET ${f.path} over ${f.connections} connections (cache ${values.cache}), ${f.heavy.perSecond.toFixed(0)}/s`);
  console.log(`  answers: ${f.heavy.status2xx} 2xx, ${f.heavy.status5xx} 5xx, ${f.heavy.otherNon2xx} other, ${f.heavy.errors} errors`);
  const health = (h: typeof f.health) => `n ${h.n}, p50 ${ms(h.p50)}, p99 ${ms(h.p99)}, max ${ms(h.max)}, failed ${h.failed}`;
  console.log(`  /health alone (3 s, before):  ${health(f.idleHealth)}`);
  console.log(`  /health meanwhile:            ${health(f.health)}`);
  const growth = f.rssMb.afterAll !== null && f.rssMb.afterWarmup !== null ? f.rssMb.afterAll - f.rssMb.afterWarmup : null;
  console.log(`  RSS: ${mb(f.rssMb.afterWarmup)} after ${values.warmup} warm-up answers, ${mb(f.rssMb.afterAll)} after ${f.heavy.requests} more${growth === null ? "" : ` (${growth.toFixed(0)} MB more)`}`);
  // The issue's two targets, side by side with what this run measured (load average: other work on the machine).
  const verdict = (ok: boolean) => (ok ? "met" : "NOT met");
  console.log(`  targets (load average ${loadavg()[0]!.toFixed(1)}): /health p99 ≤ 50 ms under the hammer: ${ms(f.health.p99)}, ${verdict(f.health.p99 <= 50)}; RSS growth ≤ 50 MB: ${growth === null ? "?" : `${growth.toFixed(0)} MB, ${verdict(growth <= 50)}`}`);
} finally {
  await stopServer(server);
  rmSync(dir, { recursive: true, force: true });
}
