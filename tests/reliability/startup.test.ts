import { createHash } from "node:crypto";
import { chmodSync, closeSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, statSync, truncateSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_DATA_DIR } from "../../src/config.js";
import { openAndLoad } from "../../src/db/setup.js";
import { runScript, startServer, tempDir } from "./server-process.js";

const temps: (() => void)[] = [];
afterAll(() => {
  for (const remove of temps.splice(0)) remove();
});
function dir(): string {
  const t = tempDir("litreview-start-");
  temps.push(t.remove);
  return t.dir;
}

/** A loaded database file, closed cleanly (so no -wal or -shm is left beside it). */
function loadedFile(at: string): string {
  const path = join(at, "lit.db");
  openAndLoad(path, DEFAULT_DATA_DIR).db.$client.close();
  return path;
}

const sha1 = (path: string) => createHash("sha1").update(readFileSync(path)).digest("hex");

/** Exactly one line on stderr naming the path, with a fix, and no stack trace; exit code 1. */
async function expectOneLineFailure(env: Record<string, string>, path: string, cause: RegExp, opts: { unprivileged?: boolean } = {}) {
  const { code, stderr } = await runScript("server.ts", env, opts);
  expect(code).toBe(1);
  const lines = stderr.trim().split("\n");
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^litreview: /);
  expect(lines[0]).toContain(path);
  expect(lines[0]).toMatch(cause);
  expect(stderr).not.toMatch(/^\s+at /m);
  return lines[0]!;
}

describe("start-up failures are one line with the path, the cause and the fix", { timeout: 60_000 }, () => {
  it("a file that is not a database (random bytes)", async () => {
    const path = join(dir(), "random.db");
    writeFileSync(path, createHash("sha512").update("x").digest().toString("hex").repeat(100));
    const line = await expectOneLineFailure({ DATABASE_PATH: path }, path, /not a SQLite database \(file is not a database\)/);
    expect(line).toContain("npm run db:reset");
  });

  it("a truncated database", async () => {
    const path = loadedFile(dir());
    truncateSync(path, Math.floor(statSync(path).size / 2));
    await expectOneLineFailure({ DATABASE_PATH: path }, path, /damaged/);
  });

  it("a database with corrupted pages is refused by quick_check before it can answer 500s", async () => {
    const path = loadedFile(dir());
    const size = statSync(path).size;
    const fd = openSync(path, "r+");
    // Garbage over the middle pages (table and index b-trees), the header left intact.
    for (let at = 8192; at < size - 4096; at += 8192) writeSync(fd, Buffer.alloc(512, 0xa5), 0, 512, at + 100);
    closeSync(fd);
    const line = await expectOneLineFailure({ DATABASE_PATH: path }, path, /damaged|malformed/);
    expect(line).toContain("npm run db:reset");
  });

  it("a file damaged after a clean start is refused again: the start's check stamp no longer matches", async () => {
    const path = loadedFile(dir());
    const server = await startServer({ DATABASE_PATH: path });
    await server.stop();
    expect(existsSync(`${path}-checked`)).toBe(true);
    const size = statSync(path).size;
    const fd = openSync(path, "r+");
    for (let at = 8192; at < size - 4096; at += 8192) writeSync(fd, Buffer.alloc(512, 0xa5), 0, 512, at + 100);
    closeSync(fd);
    await expectOneLineFailure({ DATABASE_PATH: path }, path, /damaged|malformed/);
  });

  it("a directory that cannot be created (a file stands in its place)", async () => {
    const blocker = join(dir(), "not-a-dir");
    writeFileSync(blocker, "");
    const path = join(blocker, "sub", "lit.db");
    await expectOneLineFailure({ DATABASE_PATH: path }, path, /cannot create the directory/);
  });

  it("a directory this user may not write into", async () => {
    const parent = join(dir(), "locked");
    mkdirSync(parent);
    chmodSync(parent, 0o555);
    const path = join(parent, "new", "lit.db");
    await expectOneLineFailure({ DATABASE_PATH: path }, path, /cannot create the directory .*EACCES/, { unprivileged: true });
  });

  it("DATABASE_PATH naming a directory", async () => {
    const path = dir();
    await expectOneLineFailure({ DATABASE_PATH: path }, path, /is a directory, not a file/);
  });

  it("a port already in use", async () => {
    const at = dir();
    const first = await startServer({ DATABASE_PATH: join(at, "a.db") });
    try {
      const port = new URL(first.base).port;
      const { code, stderr } = await runScript("server.ts", { DATABASE_PATH: join(at, "b.db"), PORT: port });
      expect(code).toBe(1);
      expect(stderr.trim()).toMatch(new RegExp(`^litreview: port ${port} on 127.0.0.1 is already in use .*: stop the other server or set PORT`));
      expect(stderr.trim().split("\n")).toHaveLength(1);
    } finally {
      await first.stop();
    }
  });

  it("a review folder that does not load is named at start and in /health, and the server serves the rest", async () => {
    const at = dir();
    const data = join(at, "data");
    cpSync(join(DEFAULT_DATA_DIR, "dlmia-2024"), join(data, "dlmia-2024"), { recursive: true });
    const file = join(data, "dlmia-2024", "studies.tsv");
    writeFileSync(file, readFileSync(file, "utf8").replace("Fine-tuning on ResNet\tfine-tuning", "Fine-tuning on ResNet\tcombined"));
    const server = await startServer({ DATABASE_PATH: join(at, "lit.db"), DATA_DIR: data });
    try {
      expect(server.out()).toMatch(/review dlmia-2024: NOT LOADED \(1 problem; the other reviews are served\)\n {2}Table 1 row 6: method text gives strategy fine-tuning, data says combined/);
      const health = (await (await fetch(`${server.base}/health`)).json()) as { status: string; reviews: number; failures: { review: string; problems: string[] }[] };
      expect(health).toMatchObject({ status: "degraded", reviews: 0 });
      expect(health.failures).toEqual([expect.objectContaining({ review: "dlmia-2024", problems: ["Table 1 row 6: method text gives strategy fine-tuning, data says combined"] })]);
    } finally {
      await server.stop();
    }
  });
});

describe("read-only mode: a database this user cannot write is served as it is", { timeout: 60_000 }, () => {
  async function servesUnchanged(path: string, unprivileged = true) {
    const before = sha1(path);
    const server = await startServer({ DATABASE_PATH: path }, { unprivileged });
    try {
      const health = await (await fetch(`${server.base}/health`)).json();
      expect(health).toEqual({ status: "ok", reviews: 1, studies: 24, works: 53, failures: [] });
      const page = (await (await fetch(`${server.base}/v1/studies?organ=lung`)).json()) as { meta: { count: number }; results: unknown[] };
      expect(page.meta.count).toBe(4);
      expect(page.results).toHaveLength(4);
      expect((await fetch(`${server.base}/v1/studies?format=csv`)).status).toBe(200);
      expect(server.out()).toMatch(/read-only mode/);
    } finally {
      await server.stop();
    }
    expect(sha1(path)).toBe(before);
  }

  it("a read-only file in a writable directory", async () => {
    const path = loadedFile(dir());
    chmodSync(path, 0o444);
    await servesUnchanged(path);
  });

  it("a read-only directory (no -shm can be created beside the WAL file)", async () => {
    const at = join(dir(), "ro");
    mkdirSync(at);
    const path = loadedFile(at);
    chmodSync(path, 0o444);
    chmodSync(at, 0o555);
    expect(existsSync(`${path}-shm`)).toBe(false);
    await servesUnchanged(path);
  });

  it("a read-only file that lacks a migration is refused with the fix", async () => {
    const path = loadedFile(dir());
    const sqlite = new Database(path);
    sqlite.exec(`DELETE FROM "__drizzle_migrations" WHERE created_at = (SELECT max(created_at) FROM "__drizzle_migrations")`);
    sqlite.close();
    chmodSync(path, 0o444);
    await expectOneLineFailure({ DATABASE_PATH: path }, path, /read-only and older than this version .*make it writable for one start/, { unprivileged: true });
  });
});
