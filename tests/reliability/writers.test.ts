import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { runScript, startServer, tempDir } from "./server-process.js";

const temps: (() => void)[] = [];
afterAll(() => {
  for (const remove of temps.splice(0)) remove();
});
function dir(): string {
  const t = tempDir("litreview-writers-");
  temps.push(t.remove);
  return t.dir;
}

const health = async (base: string) => (await fetch(`${base}/health`)).json();

/** The file as a third process sees it: intact, one copy of the review, its summaries current. */
function intact(path: string) {
  const sqlite = new Database(path, { readonly: true });
  try {
    return {
      check: sqlite.pragma("quick_check", { simple: true }),
      reviews: sqlite.prepare("SELECT count(*) FROM reviews").pluck().get(),
      studies: sqlite.prepare("SELECT count(*) FROM studies").pluck().get(),
      results: sqlite.prepare("SELECT count(*) FROM study_results").pluck().get(),
      migrations: sqlite.prepare(`SELECT count(*) FROM "__drizzle_migrations"`).pluck().get(),
      summariesCurrent: sqlite.prepare("SELECT generation = built_generation FROM summary_state").pluck().get(),
    };
  } finally {
    sqlite.close();
  }
}

describe("writers that coexist", { timeout: 300_000 }, () => {
  it("two servers started at once on a new file both come up, with the data loaded once (20 runs)", async () => {
    const migrations = readdirSync(join(import.meta.dirname, "..", "..", "migrations")).filter((f) => f.endsWith(".sql")).length;
    // Two pairs at a time: four processes on a shared two-core machine.
    for (let round = 0; round < 10; round++) {
      await Promise.all(
        [0, 1].map(async () => {
          const path = join(dir(), "lit.db");
          const pair = await Promise.allSettled([startServer({ DATABASE_PATH: path }), startServer({ DATABASE_PATH: path })]);
          const up = pair.flatMap((p) => (p.status === "fulfilled" ? [p.value] : []));
          try {
            expect(pair.map((p) => (p.status === "rejected" ? String(p.reason) : "up"))).toEqual(["up", "up"]);
            for (const s of up) expect(await health(s.base)).toEqual({ status: "ok", reviews: 1, studies: 24, works: 53, failures: [] });
            // One of the two loaded, the other found it loaded.
            const said = up.map((s) => s.out().match(/review dlmia-2024: (\w+)/)?.[1]).sort();
            expect(said).toEqual(["loaded", "unchanged"]);
          } finally {
            await Promise.all(up.map((s) => s.stop()));
          }
          expect(intact(path)).toEqual({ check: "ok", reviews: 1, studies: 24, results: 24, migrations, summariesCurrent: 1 });
        }),
      );
    }
  });

  it("db:reset refuses while a server uses the file, and runs once it has stopped (or was killed)", async () => {
    const path = join(dir(), "lit.db");
    const server = await startServer({ DATABASE_PATH: path });
    let stopped = false;
    try {
      const refused = await runScript("db/reset.ts", { DATABASE_PATH: path });
      expect(refused.code).toBe(1);
      expect(refused.stderr.trim()).toBe(
        `litreview: database ${path} is in use by a running server (pid ${server.proc.pid}): stop it, then run \`npm run db:reset\` again`,
      );
      expect(existsSync(path)).toBe(true);
      expect(await health(server.base)).toEqual({ status: "ok", reviews: 1, studies: 24, works: 53, failures: [] });
      await server.stop();
      stopped = true;
      const reset = await runScript("db/reset.ts", { DATABASE_PATH: path });
      expect(reset.code, reset.stderr).toBe(0);
      expect(reset.stdout).toContain(`rebuilt ${path}`);

      // A server killed outright leaves its mark behind; its process is gone, so reset goes ahead.
      const killed = await startServer({ DATABASE_PATH: path });
      killed.proc.kill("SIGKILL");
      await new Promise((resolve) => killed.proc.once("exit", resolve));
      expect(readdirSync(`${path}-servers`)).toEqual([String(killed.proc.pid)]);
      const afterKill = await runScript("db/reset.ts", { DATABASE_PATH: path });
      expect(afterKill.code, afterKill.stderr).toBe(0);
      expect(intact(path).studies).toBe(24);
    } finally {
      if (!stopped) await server.stop();
    }
  });

  it("db:summarize beside a running server waits for the lock instead of failing", async () => {
    const path = join(dir(), "lit.db");
    const server = await startServer({ DATABASE_PATH: path });
    try {
      const runs = await Promise.all([0, 1].map(() => runScript("db/summarize.ts", { DATABASE_PATH: path })));
      for (const r of runs) expect(r.code, r.stderr).toBe(0);
      expect(await health(server.base)).toEqual({ status: "ok", reviews: 1, studies: 24, works: 53, failures: [] });
    } finally {
      await server.stop();
    }
  });
});
