import { createHash } from "node:crypto";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { cacheHeaders } from "../../src/api/etag.js";

/** A bare app around cacheHeaders (or without it), so each case pins one rule of the middleware. */
function app(withHeaders = true) {
  const base = new Hono();
  if (withHeaders) base.use("*", cacheHeaders(60));
  return base
    .get("/json", (c) => c.json({ a: 1, b: "é" }))
    .get("/headers", (c) => c.json({ a: 1 }, 200, { "X-Total-Count": "3" }))
    .get("/init", (c) => c.json({ a: 1 }, { status: 200, headers: { "Content-Type": "application/geo+json", "X-A": "1" } }))
    .get("/text", (c) => c.text("plain é"))
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

  it("serializes c.json exactly as hono does: same body, status and headers besides its own two", async () => {
    for (const path of ["/json", "/headers", "/init"]) {
      const [ours, plain] = [await app().request(path), await app(false).request(path)];
      const body = await ours.text();
      expect(body, path).toBe(await plain.text());
      expect(ours.status, path).toBe(plain.status);
      expect(ours.headers.get("etag"), path).toBe(sha1(body));
      const rest = (h: Headers) => [...h].filter(([k]) => k !== "etag" && k !== "cache-control");
      expect(rest(ours.headers), path).toEqual(rest(plain.headers));
    }
    const text = await app().request("/text");
    expect(await text.text()).toBe("plain é");
    expect(text.headers.get("etag")).toBe(sha1("plain é"));
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
