import { beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.js";
import { seededApp } from "../helpers/seeded.js";

let app: App;
beforeAll(() => {
  app = seededApp().app;
});

describe("ETag and Cache-Control", () => {
  it.each(["/v1/studies?organ=lung", "/v1/stats?group_by=organ", "/v1/trends", "/v1/recommendations?organ=brain", "/v1/studies?format=csv"])(
    "%s carries a strong ETag and Cache-Control, and If-None-Match gets a 304 with no body",
    async (path) => {
      const first = await app.request(path);
      const tag = first.headers.get("etag");
      expect(tag).toMatch(/^"[0-9a-f]{40}"$/);
      expect(first.headers.get("cache-control")).toBe("public, max-age=300");
      const again = await app.request(path, { headers: { "If-None-Match": tag! } });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe("");
      expect(again.headers.get("etag")).toBe(tag);
      expect(again.headers.get("cache-control")).toBe("public, max-age=300");
    },
  );

  it("the tag follows the body: the same query gives the same tag, another query another", async () => {
    const a = (await app.request("/v1/studies?organ=lung")).headers.get("etag");
    const b = (await app.request("/v1/studies?organ=lung")).headers.get("etag");
    const c = (await app.request("/v1/studies?organ=heart")).headers.get("etag");
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    const stale = await app.request("/v1/studies?organ=heart", { headers: { "If-None-Match": a! } });
    expect(stale.status).toBe(200);
  });

  it("errors are not tagged or cached", async () => {
    const res = await app.request("/v1/studies?limit=0");
    expect(res.status).toBe(400);
    expect(res.headers.get("etag")).toBeNull();
    expect(res.headers.get("cache-control")).toBeNull();
  });
});
