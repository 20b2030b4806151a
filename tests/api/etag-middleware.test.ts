import { createHash } from "node:crypto";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { cacheHeaders } from "../../src/api/etag.js";

/** A bare app around cacheHeaders, so each case pins one rule of the middleware. */
function app() {
  return new Hono()
    .use("*", cacheHeaders(60))
    .get("/json", (c) => c.json({ a: 1, b: "é" }))
    .get("/tagged", (c) => c.body("streamed", 200, { etag: 'W/"export-1"' }))
    .get("/missing", (c) => c.json({ error: "no" }, 404))
    .post("/json", (c) => c.json({ a: 1 }));
}
const sha1 = (s: string) => `"${createHash("sha1").update(s).digest("hex")}"`;

describe("cacheHeaders", () => {
  it("tags a 200 with the SHA-1 of its exact bytes and keeps the body and content type", async () => {
    const res = await app().request("/json");
    const body = await res.text();
    expect(body).toBe('{"a":1,"b":"é"}');
    expect(res.headers.get("etag")).toBe(sha1(body));
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("cache-control")).toBe("public, max-age=60");
  });

  it("answers a matching If-None-Match with an empty 304 carrying the ETag and Cache-Control", async () => {
    const tag = (await app().request("/json")).headers.get("etag")!;
    for (const inm of [tag, `"x", ${tag}`, `W/${tag}`, "*"]) {
      const res = await app().request("/json", { headers: { "If-None-Match": inm } });
      expect(res.status, inm).toBe(304);
      expect(await res.text(), inm).toBe("");
      expect(res.headers.get("etag"), inm).toBe(tag);
      expect(res.headers.get("cache-control"), inm).toBe("public, max-age=60");
    }
    expect((await app().request("/json", { headers: { "If-None-Match": '"other"' } })).status).toBe(200);
  });

  it("keeps an ETag the route set (a streamed export) and compares it weakly", async () => {
    const res = await app().request("/tagged");
    expect(res.headers.get("etag")).toBe('W/"export-1"');
    expect(await res.text()).toBe("streamed");
    const again = await app().request("/tagged", { headers: { "If-None-Match": '"export-1"' } });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe('W/"export-1"');
  });

  it("leaves errors and non-GET requests untagged", async () => {
    for (const res of [await app().request("/missing"), await app().request("/json", { method: "POST" })]) {
      expect(res.headers.get("etag")).toBeNull();
      expect(res.headers.get("cache-control")).toBeNull();
    }
  });
});
