import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export type Server = { url: string; child: ChildProcess; startupMs: number };

/**
 * Starts the real server (src/server.ts) on a free loopback port over an existing database and
 * times it from spawn to its "listening" line: that includes Node and tsx start-up, opening the
 * file, the migration check and the loader's unchanged-data check. `env` adds settings, such as
 * LITREVIEW_CACHE=off for the uncached loads.
 */
export function startServer(dbPath: string, env: Record<string, string> = {}): Promise<Server> {
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
    cwd: ROOT,
    env: { ...process.env, ...env, DATABASE_PATH: dbPath, PORT: "0", HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => fail(new Error(`server did not start within 60 s:\n${out}`)), 60_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill();
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = out.match(/listening on (http:\/\/[\d.]+:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, child, startupMs: performance.now() - started });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => fail(new Error(`server exited with ${code}:\n${out}`)));
  });
}

export function stopServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null) return resolve();
    server.child.removeAllListeners("exit");
    server.child.once("exit", () => resolve());
    server.child.kill("SIGTERM");
  });
}

/** Peak resident memory of a process so far (VmHWM), in MB. */
export function peakRssMb(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const m = readFileSync(`/proc/${pid}/status`, "utf8").match(/VmHWM:\s+(\d+) kB/);
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

export type Load = { name: string; path: string; requests: number; rps: number; p50: number; p99: number; non2xx: number; errors: number };

/**
 * Waits until the server answers a trivial request (a 404) promptly again: after a load of slow
 * requests it may still be working through the ones autocannon left in flight, which would count
 * against the next load.
 */
export async function drain(url: string, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const t = performance.now();
      await (await fetch(`${url}/bench-drain-probe`)).text(); // a 404: no query behind it
      if (performance.now() - t < 200) return;
    } catch {
      // not answering yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * autocannon against one path (or a rotating list of paths, one per request) for a bounded time on
 * loopback, after an unrecorded second of the same load: a freshly started server is still
 * compiling its hot paths, which would count against whichever load comes first.
 */
export async function load(url: string, name: string, paths: string[], seconds: number, connections = 10): Promise<Load> {
  let i = 0;
  const run = (duration: number) =>
    autocannon({
      url,
      connections,
      duration,
      requests: [{ method: "GET", setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]! }) }],
    });
  await run(1);
  await drain(url);
  const result = await run(seconds);
  return {
    name,
    path: paths.length === 1 ? paths[0]! : `${paths[0]} (+${paths.length - 1} variants)`,
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}
