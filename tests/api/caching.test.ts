import { beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.js";
import { seededApp } from "../helpers/seeded.js";

let app: App;
beforeAll(() => {
  app = seededApp().app;
});

describe("ETag and Cache-Control", () => {
  it.each([
    ["/v1/studies?organ=lung", /^"[0-9a-f]{40}"$/],
    ["/v1/stats?group_by=organ", /^"[0-9a-f]{40}"$/],
    ["/v1/trends", /^"[0-9a-f]{40}"$/],
    ["/v1/recommendations?organ=brain", /^"[0-9a-f]{40}"$/],
    ["/v1/studies?format=csv&limit=10", /^"[0-9a-f]{40}"$/],
    // The streamed full export is tagged from the data and the URL, not from a hash of its body.
    ["/v1/studies?format=csv", /^W\/"[0-9a-f]{40}"$/],
  ])(
    "%s carries an ETag and Cache-Control, and If-None-Match gets a 304 with no body",
    async (path, tagPattern) => {
      const first = await app.request(path);
      const tag = first.headers.get("etag");
      expect(tag).toMatch(tagPattern);
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

describe("ETag of the streamed CSV export", () => {
  it("differs by URL and changes when the data does", async () => {
    const { db, app: own } = seededApp();
    const tag = async (path: string) => (await own.request(path)).headers.get("etag");
    const lung = await tag("/v1/studies?format=csv&organ=lung");
    expect(await tag("/v1/studies?format=csv&organ=lung")).toBe(lung);
    expect(await tag("/v1/studies?format=csv&organ=heart")).not.toBe(lung);
    db.$client.prepare("update studies set year = 2021 where id = 24").run();
    expect(await tag("/v1/studies?format=csv&organ=lung")).not.toBe(lung);
  });
});
