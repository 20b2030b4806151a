import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "..", "..");
const asRoot = process.getuid?.() === 0;
// Root ignores file modes, so a read-only file is only read-only to another user.
const NOBODY = 65534;

export type Started = { base: string; proc: ChildProcess; out: () => string; stop: () => Promise<number | null> };
export type Exited = { code: number | null; stdout: string; stderr: string };

/**
 * Runs `src/<script>` (the real server, db:reset, ...) in its own Node process through tsx,
 * listening on an ephemeral 127.0.0.1 port, with the environment given. `unprivileged` runs it as
 * nobody when the tests run as root, so file modes apply.
 */
export function spawnScript(script: string, env: Record<string, string>, { unprivileged = false } = {}): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", join(ROOT, "src", script)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", PORT: "0", LITREVIEW_CACHE: "on", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    ...(unprivileged && asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
  });
}

/** Starts a server; resolves once it listens, or rejects with what it printed if it exits first. */
export function startServer(env: Record<string, string>, opts: { unprivileged?: boolean } = {}): Promise<Started> {
  const proc = spawnScript("server.ts", env, opts);
  let stdout = "";
  let stderr = "";
  proc.stderr!.on("data", (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    proc.stdout!.on("data", (d) => {
      stdout += d;
      const m = stdout.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        resolve({
          base: m[1]!,
          proc,
          out: () => stdout + stderr,
          stop: async () => {
            proc.kill("SIGTERM");
            return exited;
          },
        });
      }
    });
    exited.then((code) => reject(new Error(`server exited with ${code} before listening:\n${stdout}${stderr}`)));
  });
}

/** Runs a script to its end. */
export function runScript(script: string, env: Record<string, string>, opts: { unprivileged?: boolean } = {}): Promise<Exited> {
  const proc = spawnScript(script, env, opts);
  let stdout = "";
  let stderr = "";
  proc.stdout!.on("data", (d) => {
    stdout += d;
  });
  proc.stderr!.on("data", (d) => {
    stderr += d;
  });
  return new Promise((resolve) => proc.once("exit", (code) => resolve({ code, stdout, stderr })));
}

/** A temporary directory others may enter (for a server run as nobody), removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o777);
  return {
    dir,
    remove: () => {
      chmodSync(dir, 0o777);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
