import { Hono } from "hono";
import { describe, expect, it, vi } from "vitest";
import { csvStreamResponse } from "../../src/api/csv.js";
import { seededApp } from "../helpers/seeded.js";
import { listen, readDownload } from "../helpers/download.js";

/** A download whose third batch fails, as a read error midway through a large export would. */
function failingApp(closed: { count: number }, good = 2, rows = 1) {
  return new Hono().get("/export.csv", (c) => {
    const batches = (function* () {
      for (let b = 0; b < good; b++) yield Array.from({ length: rows }, (_, i) => [b * rows + i, "row text ".repeat(8)]);
      throw new Error("disk I/O error");
    })();
    return csvStreamResponse(c, "export.csv", ["id", "name"], batches, 'W/"x"', () => closed.count++);
  });
}

describe("a streamed download that fails midway is aborted, never ended cleanly", () => {
  it("in-process: reading the body fails", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const closed = { count: 0 };
    const res = await failingApp(closed).request("/export.csv");
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    expect(closed.count).toBe(1);
  });

  it.each([
    ["at once", 2, 1],
    ["after 20,000 rows were sent", 100, 200],
  ])("over a socket, failing %s: the connection is reset without the final chunk", async (_, good, rows) => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const closed = { count: 0 };
    const { port, close } = await listen(failingApp(closed, good, rows).fetch);
    try {
      const outcome = await readDownload(port, "/export.csv");
      // Either the reset arrives before the status line (a short export is read ahead whole) or
      // after some rows; never a clean end, never the error's text as if it were data.
      expect(outcome.how).toMatch(/^(error ECONNRESET|aborted|incomplete)$/);
      expect(outcome.body).not.toContain("Error");
      if (good > 2) expect(outcome.body.startsWith("id,name\r\n0,")).toBe(true);
      expect(closed.count).toBe(1);
    } finally {
      await close();
    }
  });

  it("a finished download closes its snapshot, and HEAD streams nothing", async () => {
    const closed = { count: 0 };
    const ok = new Hono().get("/export.csv", (c) =>
      csvStreamResponse(c, "export.csv", ["id"], [[[1]], [[2]]][Symbol.iterator](), 'W/"x"', () => closed.count++),
    );
    expect(await (await ok.request("/export.csv")).text()).toBe("id\r\n1\r\n2\r\n");
    expect(closed.count).toBe(1);
    const head = await ok.request("/export.csv", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    expect(closed.count).toBe(2);
  });

  it("the studies export answers HEAD with its headers and the full GET with every row", async () => {
    const { app } = seededApp();
    const head = await app.request("/v1/studies?format=csv", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("x-total-count")).toBe("24");
    const body = await (await app.request("/v1/studies?format=csv")).text();
    expect(body.trim().split("\r\n")).toHaveLength(25);
  });
});
