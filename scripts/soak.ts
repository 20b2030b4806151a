import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startServer, stopServer } from "../src/bench/http.js";
import { soak } from "../src/bench/soak.js";

/**
 * npm run soak: a real server on a fresh database, 50 clients asking for the heaviest page (the
 * brief) while one client asks /health; prints /health's latency and the server's RSS after the
 * warm-up and after all the briefs. `--cache off` makes every brief a render (LITREVIEW_CACHE=off).
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
  console.log(`  /health meanwhile: n ${f.health.n}, p50 ${ms(f.health.p50)}, p99 ${ms(f.health.p99)}, max ${ms(f.health.max)}, failed ${f.health.failed}`);
  const growth = f.rssMb.afterAll !== null && f.rssMb.afterWarmup !== null ? ` (${(f.rssMb.afterAll - f.rssMb.afterWarmup).toFixed(0)} MB more)` : "";
  console.log(`  RSS: ${mb(f.rssMb.afterWarmup)} after ${values.warmup} warm-up answers, ${mb(f.rssMb.afterAll)} after ${f.heavy.requests} more${growth}`);
} finally {
  await stopServer(server);
  rmSync(dir, { recursive: true, force: true });
}
