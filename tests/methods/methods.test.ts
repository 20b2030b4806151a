import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.js";
import { DEFAULT_DATA_DIR } from "../../src/config.js";
import { METHOD_KINDS } from "../../src/queries/methods.js";
import { seededApp } from "../helpers/seeded.js";

let app: App;
beforeAll(() => {
  app = seededApp().app;
});

/** The curated rows of one kind, read straight from its TSV: what the API must serve. */
function tsvRows(kind: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(join(DEFAULT_DATA_DIR, "dlmia-2024", "methods", `${kind}.tsv`), "utf8").trim().split("\n");
  const cols = head!.split("\t");
  return lines.map((l) => Object.fromEntries(l.split("\t").map((v, i) => [cols[i]!, v])));
}

type Item = { slug: string; name: string; source: string; review: string } & Record<string, unknown>;

describe("GET /v1/methods", () => {
  it("lists the six kinds with the number of items each data file holds", async () => {
    const res = await app.request("/v1/methods");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { meta: { count: number }; kinds: { kind: string; count: number; path: string }[] };
    expect(body.meta.count).toBe(6);
    expect(body.kinds.map((k) => k.kind)).toEqual([
      "convolution-variants",
      "pooling-methods",
      "transfer-categories",
      "pretrained-models",
      "activations",
      "equations",
    ]);
    for (const k of body.kinds) {
      expect(k.count).toBe(tsvRows(k.kind).length);
      expect(k.path).toBe(`/v1/methods/${k.kind}`);
    }
    expect(body.kinds.map((k) => k.count)).toEqual([5, 4, 4, 5, 4, 6]);
  });

  it("400s an unknown review or parameter", async () => {
    expect((await app.request("/v1/methods?review=nope")).status).toBe(400);
    expect((await app.request("/v1/methods?kind=equations")).status).toBe(400);
  });
});

describe("GET /v1/methods/{kind}", () => {
  it.each(METHOD_KINDS)("%s serves every curated row, in order, with its attributes", async (kind) => {
    const res = await app.request(`/v1/methods/${kind}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { meta: { kind: string; count: number }; items: Item[] };
    const rows = tsvRows(kind);
    expect(body.meta).toMatchObject({ kind, count: rows.length });
    expect(body.items.map((i) => i.slug)).toEqual(rows.map((r) => r.slug));
    body.items.forEach((item, n) => {
      const row = rows[n]!;
      expect(item.name).toBe(row.name);
      expect(item.source).toBe(row.source);
      expect(item.review).toBe("dlmia-2024");
      for (const [col, value] of Object.entries(row)) {
        if (col === "slug" || col === "name" || col === "source") continue;
        // Equation numbers are served as numbers; every other cell as printed.
        expect(item[col]).toBe(col === "equation_number" ? Number(value) : value);
      }
    });
  });

  it("gives the equations their numbers in the review", async () => {
    const body = (await (await app.request("/v1/methods/equations")).json()) as { items: Item[] };
    expect(body.items.map((i) => i.equation_number)).toEqual([1, 2, 4, 13, 16, 17]);
  });

  it("filters by review", async () => {
    const body = (await (await app.request("/v1/methods/pooling-methods?review=dlmia-2024")).json()) as { items: Item[] };
    expect(body.items).toHaveLength(4);
  });

  it("404s an unknown kind, naming the known ones", async () => {
    const res = await app.request("/v1/methods/loss-functions");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const p = (await res.json()) as { detail: string; parameter: string };
    expect(p.parameter).toBe("kind");
    expect(p.detail).toContain("pooling-methods");
  });
});
