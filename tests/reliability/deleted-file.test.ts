import { copyFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Started, startServer, tempDir } from "./server-process.js";

const tmp = tempDir("litreview-deleted-");
let server: Started | undefined;
afterAll(async () => {
  await server?.stop();
  tmp.remove();
});

const health = async (base: string) => {
  const res = await fetch(`${base}/health`);
  return { status: res.status, body: (await res.json()) as { status: string; database?: string; studies: number } };
};

describe("a database file deleted or replaced under a running server", () => {
  it("is reported by /health (503, status stale, naming the path), while the data still answers", async () => {
    const path = join(tmp.dir, "served.db");
    server = await startServer({ DATABASE_PATH: path });
    expect(await health(server.base)).toEqual({ status: 200, body: expect.objectContaining({ status: "ok", studies: 24 }) });
    expect((await health(server.base)).body.database).toBeUndefined();

    // Replaced: a copy renamed over the path (what restoring a backup does) is another inode.
    copyFileSync(path, `${path}.copy`);
    renameSync(`${path}.copy`, path);
    const replaced = await health(server.base);
    expect(replaced.status).toBe(503);
    expect(replaced.body.status).toBe("stale");
    expect(replaced.body.database).toBe(`database ${path} was replaced by another file while the server ran: it serves the file it opened; restart it`);

    // Deleted (what db:reset does): the server goes on reading the file it holds open.
    rmSync(path);
    const deleted = await health(server.base);
    expect(deleted.status).toBe(503);
    expect(deleted.body).toMatchObject({ status: "stale", studies: 24 });
    expect(deleted.body.database).toMatch(/^database .*served\.db was deleted while the server ran/);
    expect((await fetch(`${server.base}/v1/studies?limit=1`)).status).toBe(200);
  }, 60_000);
});
