import { beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.js";
import { DATA_POLICY, PAGE_POLICY } from "../../src/api/security-headers.js";
import { seededApp } from "../helpers/seeded.js";

let app: App;
beforeAll(() => {
  app = seededApp().app;
});

const HTML_ROUTES = ["/", "/docs", "/brief", "/brief?organ=lung", "/v1/brief?format=html"];

describe("security headers", () => {
  it.each(HTML_ROUTES)("%s: CSP with scripts from this origin only, no framing, nosniff, no referrer", async (path) => {
    const res = await app.request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = res.headers.get("content-security-policy");
    expect(csp).toBe(PAGE_POLICY);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    // What the policy would block must not be on the page: inline scripts and inline event handlers.
    // A revalidation must not replace the page's policy with another (its headers update the stored ones).
    const again = await app.request(path, { headers: { "If-None-Match": res.headers.get("etag")! } });
    expect(again.status).toBe(304);
    expect(again.headers.get("content-security-policy")).toBeNull();
    const html = await res.text();
    expect(html.match(/<script(?![^>]*\ssrc=)[^>]*>/g) ?? []).toEqual([]);
    expect(html.match(/\son[a-z]+\s*=/gi) ?? []).toEqual([]);
  });

  it.each(["/v1/studies?organ=lung", "/v1/studies?format=csv", "/v1/brief?format=markdown", "/openapi.json", "/v1/studies?limit=0", "/nowhere", "/assets/brief.js"])(
    "%s: nosniff and a policy that loads and frames nothing",
    async (path) => {
      const res = await app.request(path);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("content-security-policy")).toBe(DATA_POLICY);
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    },
  );

  it("the scripts the pages name are served", async () => {
    for (const path of ["/assets/brief.js", "/docs/assets/init.js"]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type"), path).toMatch(/^text\/javascript/);
    }
  });
});

describe("Cache-Control as each route sets it", () => {
  it("/health is never cached, also on a 304", async () => {
    const res = await app.request("/health");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const again = await app.request("/health", { headers: { "If-None-Match": res.headers.get("etag")! } });
    expect(again.headers.get("cache-control")).toBe("no-store");
  });

  it.each(["/", "/assets/dashboard.css", "/assets/brief.js"])("%s revalidates (no-cache)", async (path) => {
    const res = await app.request(path);
    expect(res.headers.get("cache-control")).toBe("no-cache");
    const again = await app.request(path, { headers: { "If-None-Match": res.headers.get("etag")! } });
    expect(again.status).toBe(304);
    expect(again.headers.get("cache-control")).toBe("no-cache");
  });

  it("the API keeps its shared max-age", async () => {
    expect((await app.request("/v1/studies")).headers.get("cache-control")).toBe("public, max-age=300");
  });
});

describe("Markdown brief escapes what the request and the data put in it", () => {
  it("an organ named <script> is text in the heading, not HTML", async () => {
    const organ = '<script>alert("x")</script>[a](javascript:b)*_';
    const res = await app.request(`/v1/brief?format=markdown&organ=${encodeURIComponent(organ)}`);
    expect(res.status).toBe(200);
    const md = await res.text();
    expect(md).not.toContain("<script>");
    expect(md).not.toContain("[a](");
    const heading = md.split("\n")[0]!;
    expect(heading).toContain('\\<script\\>alert("x")\\</script\\>\\[a\\](javascript:b)\\*\\_');
  });
});

describe("methods", () => {
  it.each([
    ["POST", "/v1/studies"],
    ["PUT", "/v1/studies/17"],
    ["DELETE", "/v1/references/8"],
    ["PATCH", "/health"],
    ["POST", "/"],
    ["DELETE", "/docs"],
    ["POST", "/v1/methods/convolution-output-size"],
  ])("%s %s is a 405 problem with Allow: GET, HEAD", async (method, path) => {
    const res = await app.request(path, { method });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD");
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await res.json()).toMatchObject({ status: 405, title: "Method not allowed", instance: path });
  });

  it("an unknown path stays a 404 whatever the method, and so does a GET a route turns away", async () => {
    for (const method of ["GET", "POST"]) expect((await app.request("/v1/nothing-here", { method })).status).toBe(404);
    expect((await app.request("/docs/assets/package.json")).status).toBe(404);
    expect((await app.request("/docs/assets/package.json", { method: "POST" })).status).toBe(405);
  });

  it("HEAD answers like GET without a body", async () => {
    const res = await app.request("/v1/studies?organ=lung", { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
  });

  it("OPTIONS outside /v1 says what is allowed", async () => {
    const res = await app.request("/", { method: "OPTIONS" });
    expect(res.status).toBe(204);
    expect(res.headers.get("allow")).toBe("GET, HEAD");
  });
});

describe("CORS on the read-only /v1 API", () => {
  const origin = { Origin: "https://observablehq.com" };

  it("any origin may read an answer, an error and the paging headers, without credentials", async () => {
    for (const path of ["/v1/studies?organ=lung", "/v1/studies?limit=0", "/v1/studies?format=csv&limit=2"]) {
      const res = await app.request(path, { headers: origin });
      expect(res.headers.get("access-control-allow-origin"), path).toBe("*");
      expect(res.headers.get("access-control-allow-credentials"), path).toBeNull();
      expect(res.headers.get("access-control-expose-headers"), path).toContain("X-Next-Cursor");
    }
  });

  it("a preflight is answered with GET and HEAD only", async () => {
    const res = await app.request("/v1/stats?group_by=organ", {
      method: "OPTIONS",
      headers: { ...origin, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "if-none-match" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-methods")).toBe("GET, HEAD");
    expect(res.headers.get("access-control-allow-headers")).toBe("if-none-match");
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("pages outside /v1 are not opened to other origins", async () => {
    for (const path of ["/", "/brief", "/health"]) {
      expect((await app.request(path, { headers: origin })).headers.get("access-control-allow-origin"), path).toBeNull();
    }
  });
});
