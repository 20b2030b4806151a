import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { spawnScript, startServer, tempDir } from "./server-process.js";

const temps: (() => void)[] = [];
afterAll(() => {
  for (const remove of temps.splice(0)) remove();
});

describe("a server killed while it starts", { timeout: 180_000 }, () => {
  it("never leaves a partial or damaged file: the next start serves the whole review (8 kills)", async () => {
    const t = tempDir("litreview-kill-");
    temps.push(t.remove);
    const path = join(t.dir, "lit.db");
    for (let i = 0; i < 8; i++) {
      const proc = spawnScript("server.ts", { DATABASE_PATH: path });
      // Once the process has got as far as creating the file, at a different moment each time.
      await new Promise((r) => setTimeout(r, 400 + i * 250));
      proc.kill("SIGKILL");
      await new Promise((r) => proc.once("exit", r));
      const sqlite = new Database(path);
      try {
        expect(sqlite.pragma("quick_check", { simple: true })).toBe("ok");
        const studies = sqlite.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'studies'").pluck().get()
          ? sqlite.prepare("SELECT count(*) FROM studies").pluck().get()
          : 0;
        expect([0, 24]).toContain(studies);
      } finally {
        sqlite.close();
      }
    }
    const server = await startServer({ DATABASE_PATH: path });
    try {
      expect(await (await fetch(`${server.base}/health`)).json()).toEqual({ status: "ok", reviews: 1, studies: 24, works: 53, failures: [] });
    } finally {
      await server.stop();
    }
  });
});
