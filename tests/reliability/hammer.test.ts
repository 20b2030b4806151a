import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { soak } from "../../src/bench/soak.js";
import { startServer, tempDir } from "./server-process.js";

const temps: (() => void)[] = [];
afterAll(() => {
  for (const remove of temps.splice(0)) remove();
});

// The figures (health p50/p99, RSS growth) are printed by `npm run soak`; on a shared CI machine
// only what must hold whatever the load is asserted: no 5xx, and /health kept answering.
describe("no request starves the others", { timeout: 180_000 }, () => {
  it("50 clients asking for the brief: every answer 2xx, /health answered throughout", async () => {
    const t = tempDir("litreview-hammer-");
    temps.push(t.remove);
    const server = await startServer({ DATABASE_PATH: join(t.dir, "lit.db") });
    try {
      const f = await soak(server.base, server.proc.pid, { path: "/brief?organ=lung", connections: 50, requests: 1_000, warmup: 50 });
      console.log(`hammer: ${JSON.stringify(f)}`);
      expect(f.heavy.status5xx).toBe(0);
      expect(f.heavy.otherNon2xx).toBe(0);
      expect(f.heavy.status2xx).toBeGreaterThan(0);
      expect(f.health.n).toBeGreaterThan(0);
      expect(f.health.failed).toBe(0);
    } finally {
      await server.stop();
    }
  });
});
