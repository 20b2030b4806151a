import { hc } from "hono/client";
import { beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import type { App } from "../src/app.js";
import { seededApp } from "./helpers/seeded.js";

/**
 * The typed client a TypeScript user gets from `hc<App>`: paths, parameters and answers all
 * typed from the same zod schemas the server validates with. The custom fetch hands each request
 * to app.request(), so no server or network is involved.
 */
let client: ReturnType<typeof hc<App>>;
beforeAll(() => {
  const { app } = seededApp();
  client = hc<App>("http://litreview.test", { fetch: ((input, init) => app.request(input, init)) as typeof fetch });
});

describe("hono/client over the app", () => {
  it("searches references with typed query and typed results", async () => {
    const res = await client.v1.references.$get({ query: { q: "medulloblastoma" } });
    expect(res.status).toBe(200);
    if (!res.ok) throw new Error("expected 200");
    const body = await res.json();
    // The endpoint can also answer a download (format=bibtex...), typed as a bare Response; "meta" narrows to the page.
    if (!("meta" in body)) throw new Error("expected the JSON page");
    expectTypeOf(body.meta.count).toEqualTypeOf<number>();
    expectTypeOf(body.results[0]!.printed_numbers).toEqualTypeOf<(number | null)[]>();
    expect(body.meta.count).toBe(1);
    expect(body.results[0]?.printed_numbers).toEqual([8, 13]);
    expect(body.meta.provenance[0]?.id).toBe("dlmia-2024");
  });

  it("fetches one reference by path parameter, and gets the 404 problem for a missing one", async () => {
    const ok = await client.v1.references[":id"].$get({ param: { id: "46" } });
    if (!ok.ok) throw new Error("expected 200");
    const { result } = await ok.json();
    expectTypeOf(result.authors_truncated).toEqualTypeOf<boolean>();
    expect(result.printed_numbers).toEqual([null]);

    const missing = await client.v1.references[":id"].$get({ param: { id: "9999" } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toBe("application/problem+json");
  });

  it("computes a convolution output size", async () => {
    const res = await client.v1.methods["convolution-output-size"].$get({ query: { t: "7", k: "3", p: "1", s: "3" } });
    if (!res.ok) throw new Error("expected 200");
    const body = await res.json();
    expectTypeOf(body.output_size).toEqualTypeOf<number>();
    expect(body.output_size).toBe(3);
    expect(body.equation.number).toBe(4);
  });

  it("reads studies, part A's endpoint, through the same client", async () => {
    const res = await client.v1.studies.$get({ query: { organ: "brain", limit: "3" } });
    if (!res.ok) throw new Error("expected 200");
    const body = await res.json();
    if (typeof body !== "object" || !("meta" in body)) throw new Error("expected the JSON page");
    expect(body.meta.count).toBe(8);
    expectTypeOf(body.meta.count_is_lower_bound).toEqualTypeOf<boolean>();
    expect(body.meta.count_is_lower_bound).toBe(false);
    expect(body.results).toHaveLength(3);
    expect(body.results.every((s) => s.organ === "brain")).toBe(true);
  });
});
