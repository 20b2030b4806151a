import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build, isStale } from "../../scripts/build.mjs";

const LAZY = ["jsdom", "@citation-js/", "esbuild", "@observablehq/plot"];
// Inside the project, so the bundle's external packages resolve from its node_modules as dist/'s do.
const VAR = fileURLToPath(new URL("../../var", import.meta.url));
mkdirSync(VAR, { recursive: true });
const dir = mkdtempSync(join(VAR, "build-test-"));
const out = join(dir, "dist");

/** The relative chunks a file imports statically (import ... from "./x.js"), transitively. */
function staticGraph(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(join(out, file), "utf8");
  for (const m of text.matchAll(/^(?:import|export)[^;]*?from\s*"(\.\/[^"]+)"/gms)) staticGraph(m[1]!.slice(2), seen);
  return seen;
}

describe("the compiled server (npm start)", () => {
  beforeAll(() => build(out), 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("loads jsdom, citation-js, esbuild and Plot only in lazy chunks", () => {
    const eager = [...staticGraph("server.js")];
    expect(eager.length).toBeGreaterThan(0);
    for (const file of eager) {
      const text = readFileSync(join(out, file), "utf8");
      for (const pkg of LAZY) expect(text, `${file} imports ${pkg}`).not.toMatch(new RegExp(`from\\s*"${pkg}`));
    }
    const all = readdirSync(out).filter((f) => f.endsWith(".js")).map((f) => readFileSync(join(out, f), "utf8")).join("\n");
    for (const pkg of LAZY) expect(all, `no chunk imports ${pkg}`).toMatch(new RegExp(`from\\s*"${pkg}`));
  });

  it("resolves every module's files from its source location", () => {
    const files = readdirSync(out).filter((f) => f.endsWith(".js"));
    const base = pathToFileURL(join(out, "server.js"));
    const sources = files.flatMap((f) =>
      [...readFileSync(join(out, f), "utf8").matchAll(/new URL\("([^"]+\.ts)", import\.meta\.url\)/g)].map((m) => fileURLToPath(new URL(m[1]!, base))),
    );
    for (const s of ["src/config.ts", "src/db/client.ts", "src/web/routes.ts", "src/api/openapi.ts"]) {
      expect(sources).toContain(fileURLToPath(new URL(`../../${s}`, import.meta.url)));
    }
    for (const s of sources) expect(existsSync(s), s).toBe(true);
  });

  it("is stale without a stamp or once an input changed after the build", () => {
    expect(isStale(out)).toBe(false);
    const stamp = JSON.parse(readFileSync(join(out, "build.json"), "utf8"));
    writeFileSync(join(out, "build.json"), JSON.stringify({ ...stamp, startedAt: 0 }));
    expect(isStale(out)).toBe(true);
    writeFileSync(join(out, "build.json"), JSON.stringify(stamp));
    expect(isStale(out)).toBe(false);
    expect(isStale(join(dir, "missing"))).toBe(true);
  });

  it("starts and answers from the bundle", async () => {
    const child = spawn(process.execPath, [join(out, "server.js")], {
      env: { ...process.env, DATABASE_PATH: join(dir, "served.db"), PORT: "0", HOST: "127.0.0.1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let text = "";
        const onData = (chunk: Buffer) => {
          text += chunk.toString();
          const m = text.match(/listening on (http:\/\/[\d.]+:\d+)/);
          if (m) resolve(m[1]!);
        };
        child.stdout.on("data", onData);
        child.stderr.on("data", onData);
        child.on("exit", (code) => reject(new Error(`exited with ${code}: ${text}`)));
      });
      const health = await fetch(`${url}/health`);
      expect(await health.json()).toEqual({ status: "ok", reviews: 1, studies: 24, works: 53, failures: [] });
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      const docs = await fetch(`${url}/docs/assets/swagger-ui.css`);
      expect(docs.status).toBe(200);
      // Drawn by the bundled worker (dist/render-worker.js), found from the bundle wherever it is built.
      expect(existsSync(join(out, "render-worker.js"))).toBe(true);
      const brief = await fetch(`${url}/v1/brief?format=markdown&organ=lung`);
      expect(brief.status).toBe(200);
      expect(await brief.text()).toMatch(/^# .*\n[\s\S]*!\[Studies per year/);
    } finally {
      child.kill();
    }
  }, 30_000);
});
