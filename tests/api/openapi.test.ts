import { beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.js";
import { seededApp } from "../helpers/seeded.js";

type Param = { name: string; in: string; description?: string; schema?: { example?: unknown } };
type Doc = { openapi: string; paths: Record<string, Record<string, { parameters?: Param[]; responses: Record<string, unknown> }>> };

let app: App;
let doc: Doc;
beforeAll(async () => {
  app = seededApp().app;
  doc = (await (await app.request("/openapi.json")).json()) as Doc;
});

const MINE = ["/v1/studies", "/v1/studies/{id}", "/v1/stats", "/v1/trends", "/v1/recommendations"];

describe("GET /openapi.json", () => {
  it("is OpenAPI 3.1 and lists every endpoint of the query API", () => {
    expect(doc.openapi).toBe("3.1.0");
    for (const path of MINE) expect(doc.paths[path]?.get, path).toBeDefined();
  });

  it("describes every parameter with a description and an example", () => {
    for (const path of MINE) {
      for (const p of doc.paths[path]!.get!.parameters ?? []) {
        expect(p.description, `${path} ${p.name}`).toBeTruthy();
        expect(p.schema?.example, `${path} ${p.name}`).toBeDefined();
      }
    }
    const names = doc.paths["/v1/studies"]!.get!.parameters!.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(["organ", "strategy", "backbone", "condition", "modality", "year_from", "year_to", "accuracy_min", "accuracy_max", "q", "review", "sort", "limit", "cursor", "format"]));
  });

  it("declares the problem+json error responses", () => {
    expect(Object.keys(doc.paths["/v1/studies/{id}"]!.get!.responses)).toEqual(["200", "400", "404"]);
  });

  it("the parameters it documents are the ones the API accepts", async () => {
    for (const path of ["/v1/studies", "/v1/stats", "/v1/trends"]) {
      const query = doc.paths[path]!.get!.parameters!.filter((p) => p.in === "query" && p.name !== "cursor" && p.name !== "review");
      const qs = query.map((p) => `${p.name}=${encodeURIComponent(String(p.schema!.example))}`).join("&");
      expect((await app.request(`${path}?${qs}`)).status, `${path}?${qs}`).toBe(200);
    }
  });
});

describe("GET /docs", () => {
  it("serves an HTML reference page pointing at /openapi.json", async () => {
    const res = await app.request("/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    // The start-up script is a file (the page's CSP runs no inline script); it names the spec.
    const init = await (await app.request("/docs/assets/init.js")).text();
    expect(init).toContain('url: "/openapi.json"');
    // Everything the page loads comes from this server, so it works offline.
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!).filter((s) => !s.startsWith("data:"));
    expect(sources).toEqual(["/docs/assets/swagger-ui.css", "/docs/assets/swagger-ui-bundle.js", "/docs/assets/init.js"]);
    for (const src of sources.slice(0, 2)) {
      const asset = await app.request(src);
      expect(asset.status, src).toBe(200);
      expect((await asset.text()).length, src).toBeGreaterThan(10_000);
    }
    expect((await app.request("/docs/assets/package.json")).status).toBe(404);
  });
});
