import type { ChildProcess } from "node:child_process";
import { cpSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_DATA_DIR } from "../../src/config.js";
import { spawnScript, startServer, tempDir } from "./server-process.js";

const temps: (() => void)[] = [];
afterAll(() => {
  for (const remove of temps.splice(0)) remove();
});

type Page = { meta: { count: number }; results: { accuracy: { value: number | null } | null; citation: unknown }[] };

/** One read and whether its answer holds together; a torn answer says how. */
const CHECKS: [string, (res: Response) => Promise<string | null>][] = [
  ["/v1/studies?limit=500", async (res) => {
    const page = (await res.json()) as Page;
    if (page.meta.count !== page.results.length) return `count ${page.meta.count} with ${page.results.length} rows`;
    if (page.results.length !== 24) return `${page.results.length} studies`;
    if (page.results.some((s) => s.accuracy === null)) return "a study without its accuracy";
    return null;
  }],
  ["/v1/studies?organ=lung&sort=-accuracy", async (res) => {
    const page = (await res.json()) as Page;
    return page.meta.count === 4 && page.results.length === 4 && page.results.every((s) => s.accuracy !== null) ? null : `lung: count ${page.meta.count}, ${page.results.length} rows`;
  }],
  ["/v1/studies?format=csv", async (res) => {
    const rows = (await res.text()).trim().split("\r\n").length - 1;
    const total = res.headers.get("x-total-count");
    return rows === 24 && total === "24" ? null : `csv: ${rows} rows, X-Total-Count ${total}`;
  }],
  ["/v1/stats?group_by=organ", async (res) => {
    const body = (await res.json()) as { groups: { count: number }[] };
    const n = body.groups.reduce((a, g) => a + g.count, 0);
    return n === 24 ? null : `stats: ${n} studies`;
  }],
  ["/health", async (res) => {
    const body = (await res.json()) as { studies: number; works: number };
    return body.studies === 24 && body.works === 53 ? null : `health: ${body.studies} studies, ${body.works} works`;
  }],
];

describe("every answer from one snapshot", { timeout: 300_000 }, () => {
  it("while another process reloads the review again and again, no answer is torn (>= 2,000 reads)", async () => {
    const t = tempDir("litreview-torn-");
    temps.push(t.remove);
    const data = join(t.dir, "data");
    cpSync(join(DEFAULT_DATA_DIR, "dlmia-2024"), join(data, "dlmia-2024"), { recursive: true });
    const env = { DATABASE_PATH: join(t.dir, "lit.db"), DATA_DIR: data };
    const server = await startServer(env);
    let reloader: ChildProcess | undefined;
    try {
      reloader = spawnScript("../tests/reliability/reloader.ts", env);
      let reloads = 0;
      reloader.stdout!.on("data", (d: Buffer) => {
        reloads += (String(d).match(/: loaded/g) ?? []).length;
      });
      // Reads only count once the reloads are under way.
      while (reloads < 2) await new Promise((r) => setTimeout(r, 50));

      const torn: string[] = [];
      let reads = 0;
      const worker = async (w: number) => {
        for (let i = w; reads < 2_000; i++) {
          const [path, check] = CHECKS[i % CHECKS.length]!;
          const res = await fetch(`${server.base}${path}`);
          reads++;
          const problem = res.status === 200 ? await check(res) : `${path}: ${res.status} ${await res.text()}`;
          if (problem) torn.push(`${path}: ${problem}`);
        }
      };
      await Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));
      console.log(`torn-reads: ${torn.length} torn of ${reads} reads during ${reloads} reloads`);
      expect(reloads).toBeGreaterThan(5);
      expect(torn.slice(0, 10)).toEqual([]);
    } finally {
      reloader?.kill("SIGKILL");
      await server.stop();
    }
  });
});
