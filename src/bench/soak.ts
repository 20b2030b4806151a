import { readFileSync } from "node:fs";
import autocannon from "autocannon";

export type SoakFigures = {
  path: string;
  connections: number;
  heavy: { requests: number; perSecond: number; status2xx: number; status5xx: number; otherNon2xx: number; errors: number; timeouts: number };
  health: HealthFigures;
  /** /health alone, just before the hammer: the machine's own floor, measured in the same run. */
  idleHealth: HealthFigures;
  rssMb: { afterWarmup: number | null; afterAll: number | null };
};

/** Resident memory of a process now (VmRSS), in MB. */
export function rssMb(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const m = readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+) kB/);
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

export type HealthFigures = { n: number; failed: number; p50: number; p99: number; max: number };

const quantile = (sorted: number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : Number.NaN);

/**
 * Hammers one heavy path of a running server with `connections` clients for `requests` answers
 * (after `warmup` answers, after which RSS is read a first time), while one client asks /health
 * over and over: what a person checking the server sees while a crowd asks for briefs.
 */
export async function soak(url: string, pid: number | undefined, { path, connections, requests, warmup }: { path: string; connections: number; requests: number; warmup: number }): Promise<SoakFigures> {
  await autocannon({ url: `${url}${path}`, connections: Math.min(connections, warmup), amount: warmup });
  const afterWarmup = rssMb(pid);
  const idle = probeHealth(url);
  await new Promise((r) => setTimeout(r, 3000));
  const idleHealth = await idle.stop();
  const probe = probeHealth(url);
  // In a worker thread: in this thread it would keep the prober's own event loop busy, and /health
  // would look slow for a reason that is not the server's.
  const result = await autocannon({ url: `${url}${path}`, connections, amount: requests, workers: 1 });
  const health = await probe.stop();
  const status2xx = result["2xx"];
  return {
    path,
    connections,
    heavy: {
      requests: result.requests.total,
      perSecond: result.requests.total / Math.max(result.duration, 0.001),
      status2xx,
      status5xx: result["5xx"],
      otherNon2xx: result.non2xx - result["5xx"],
      errors: result.errors + result.timeouts,
      timeouts: result.timeouts,
    },
    health,
    idleHealth,
    rssMb: { afterWarmup, afterAll: rssMb(pid) },
  };
}

/** One client asking /health over and over (10 ms apart) until stopped; its latencies. */
function probeHealth(url: string): { stop: () => Promise<HealthFigures> } {
  let done = false;
  const latencies: number[] = [];
  let failed = 0;
  const running = (async () => {
    while (!done) {
      const t = performance.now();
      try {
        const res = await fetch(`${url}/health`);
        await res.arrayBuffer();
        if (res.status !== 200) failed++;
        latencies.push(performance.now() - t);
      } catch {
        failed++;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  return {
    stop: async () => {
      done = true;
      await running;
      const sorted = latencies.sort((a, b) => a - b);
      return { n: sorted.length, failed, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted.at(-1) ?? Number.NaN };
    },
  };
}
