import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export type Server = { url: string; child: ChildProcess; startupMs: number; firstAnswerMs: number };

/**
 * How the server is started: the compiled bundle as `npm start` runs it, through npm itself, the
 * TypeScript sources through tsx, or the page floor (floor-server.ts, not litreview at all).
 */
export type Launch = "start" | "npm start" | "tsx" | "floor";
const COMMANDS: Record<Launch, [string, string[]]> = {
  start: [process.execPath, ["scripts/start.mjs"]],
  // Compiled by compileFloor, so its start-up is Node's, not tsx's: the start-up floor as well.
  floor: [process.execPath, ["bench-results/floor-server.mjs"]],
  "npm start": ["npm", ["start", "--silent"]],
  tsx: [process.execPath, ["--import", "tsx", "src/server.ts"]],
};

/**
 * Starts the real server on a free loopback port over an existing database and times it from
 * spawn to its "listening" line and to its first answer (a page of 50 studies): that includes
 * Node's start-up, loading the modules, opening the file, the migration check, the loader's
 * unchanged-data check and the first, cold, page. `env` adds settings, such as
 * LITREVIEW_CACHE=off for the uncached loads.
 */
export function startServer(dbPath: string, env: Record<string, string> = {}, launch: Launch = "start"): Promise<Server> {
  const started = performance.now();
  const [command, args] = COMMANDS[launch];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env, DATABASE_PATH: dbPath, PORT: "0", HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
    // npm runs the server as its own child: a process group lets stopServer end both.
    detached: launch === "npm start",
  });
  return new Promise((resolve, reject) => {
    let out = "";
    let listening = false;
    const timer = setTimeout(() => fail(new Error(`server did not start within 60 s:\n${out}`)), 60_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      kill(child);
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = out.match(/listening on (http:\/\/[\d.]+:\d+)/);
      if (m && !listening) {
        listening = true;
        clearTimeout(timer);
        const startupMs = performance.now() - started;
        fetch(`${m[1]}${FIRST_PATH}`)
          .then((r) => r.text())
          .then(() => resolve({ url: m[1]!, child, startupMs, firstAnswerMs: performance.now() - started }), fail);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => fail(new Error(`server exited with ${code}:\n${out}`)));
  });
}

/** Compiles the floor server (plain node:http and better-sqlite3) to bench-results/floor-server.mjs. */
export async function compileFloor(): Promise<void> {
  const { build } = await import("esbuild");
  await build({
    absWorkingDir: ROOT,
    entryPoints: ["src/bench/floor-server.ts"],
    outfile: "bench-results/floor-server.mjs",
    bundle: true,
    format: "esm",
    platform: "node",
    packages: "external",
    logLevel: "warning",
  });
}

/** The first request after start: /health counts every study (a scan at 1M), a page does not. */
export const FIRST_PATH = "/v1/studies?organ=brain&limit=50";

const kill = (child: ChildProcess) => {
  if (child.pid !== undefined && child.spawnargs[0] === "npm") process.kill(-child.pid, "SIGTERM");
  else child.kill("SIGTERM");
};

export function stopServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null) return resolve();
    server.child.removeAllListeners("exit");
    server.child.once("exit", () => resolve());
    kill(server.child);
  });
}

/** Peak resident memory of a process so far (VmHWM), or its current one (VmRSS), in MB. */
export function peakRssMb(pid: number | undefined, field: "VmHWM" | "VmRSS" = "VmHWM"): number | null {
  if (pid === undefined) return null;
  try {
    const m = readFileSync(`/proc/${pid}/status`, "utf8").match(new RegExp(`${field}:\\s+(\\d+) kB`));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** CPU time (user + system) a process has used so far, in ms; null once it is gone. */
function cpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10; // clock ticks of 10 ms
  } catch {
    return null;
  }
}

/**
 * Waits until a freshly started server has finished its background work: the column store's
 * first build starts 2 s after start and runs in steps of up to ~0.4 s for 4-12 s at 1M (longer
 * under load). A load measured across it measures the build: pages at 1M served 29 req/s with a
 * p99 of 837 ms during it, 128 req/s and 230 ms after (load 7). Quiet: under 5% of a core over
 * 2 s, after the 2 s poll has had its turn.
 */
export async function settle(server: Server, timeoutMs = 180_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  await new Promise((r) => setTimeout(r, 2500));
  while (Date.now() < until) {
    const before = cpuMs(server.child.pid);
    await new Promise((r) => setTimeout(r, 2000));
    const after = cpuMs(server.child.pid);
    if (before === null || after === null || after - before < 100) return;
  }
}

export type Load = { name: string; path: string; requests: number; rps: number; p50: number; p99: number; non2xx: number; errors: number };

/**
 * Waits until the server answers a trivial request (a 404) promptly again: after a load of slow
 * requests it may still be working through the ones autocannon left in flight, which would count
 * against the next load.
 */
export async function drain(url: string, timeoutMs = 120_000, promptMs = 200): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const t = performance.now();
      await (await fetch(`${url}/bench-drain-probe`)).text(); // a 404: no query behind it
      if (performance.now() - t < promptMs) return;
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
