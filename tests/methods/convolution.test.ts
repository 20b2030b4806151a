import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.js";
import { DEFAULT_DATA_DIR } from "../../src/config.js";
import type { ConvolutionOutput } from "../../src/queries/convolution.js";
import { seededApp } from "../helpers/seeded.js";

let app: App;
beforeAll(() => {
  app = seededApp().app;
});

const URL_BASE = "/v1/methods/convolution-output-size";

async function compute(query: string): Promise<ConvolutionOutput> {
  const res = await app.request(`${URL_BASE}?${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as ConvolutionOutput;
}

describe("GET /v1/methods/convolution-output-size", () => {
  it.each([
    ["t=7&k=3", 5, 1, "u = 7 - 3 + 1 = 5"],
    ["t=7&k=3&p=1", 7, 2, "u = 7 - 3 + 2×1 + 1 = 7"],
    ["t=7&k=3&p=1&s=3", 3, 4, "u = floor((7 - 3 + 2×1) / 3) + 1 = 3"],
    ["t=7&k=3&p=1&s=3&d=1", 3, 4, "u = floor((7 - 3 + 2×1) / 3) + 1 = 3"],
    ["t=7&k=3&d=2&p=0&s=1", 3, 17, "u = floor((7 - 3 - (3 - 1)(2 - 1) + 2×0) / 1) + 1 = 3"],
  ])("the review's worked example %s gives %i by Eq. (%i)", async (query, u, equation, substituted) => {
    const out = await compute(query);
    expect(out.output_size).toBe(u);
    expect(out.equation.number).toBe(equation);
    expect(out.equation.substituted).toBe(substituted);
  });

  it("reports Eq. (16) and k' for a dilated kernel, and the printed formulas", async () => {
    const out = await compute("t=7&k=3&d=2");
    expect(out.effective_kernel_size).toBe(5);
    expect(out.kernel_equation).toEqual({
      slug: "dilated-kernel-size",
      number: 16,
      formula: "k' = k + (k - 1)(d - 1)",
      substituted: "k' = 3 + (3 - 1)(2 - 1) = 5",
    });
    expect(out.equation.formula).toBe("u = floor((t - k - (k - 1)(d - 1) + 2p) / s) + 1");
    expect(out.inputs).toEqual({ t: 7, k: 3, p: 0, s: 1, d: 2 });
    expect((await compute("t=7&k=3")).kernel_equation).toBeNull();
  });

  it("agrees with every worked example printed in the equations data", async () => {
    const lines = readFileSync(join(DEFAULT_DATA_DIR, "dlmia-2024", "methods", "equations.tsv"), "utf8").trim().split("\n");
    const examples = lines
      .map((l) => l.split("\t")[5] ?? "")
      .map((e) => e.match(/^((?:[tkpsd]=\d+, )*[tkpsd]=\d+) gives u=(\d+)$/))
      .filter((m): m is RegExpMatchArray => m !== null);
    expect(examples).toHaveLength(4);
    for (const [, inputs, u] of examples) {
      expect((await compute(inputs!.replace(/, /g, "&"))).output_size).toBe(Number(u));
    }
  });

  it("says when the stride leaves a remainder the floor drops", async () => {
    const out = await compute("t=8&k=3&s=2");
    expect(out.output_size).toBe(3);
    expect(out.exact).toBe(false);
    expect((await compute("t=7&k=3&p=1&s=3")).exact).toBe(true);
  });

  it("handles the largest allowed sizes exactly", async () => {
    expect((await compute("t=100000&k=1")).output_size).toBe(100000);
    expect((await compute("t=1&k=1")).output_size).toBe(1);
    // k' = 3 + 2 × 99999 = 200001; t + 2p - k' = 99999, below one stride.
    expect((await compute("t=100000&k=3&p=100000&s=100000&d=100000")).output_size).toBe(1);
    expect((await compute("t=100000&k=1&p=100000")).output_size).toBe(300000);
  });
});

describe("convolution-output-size input errors", () => {
  it.each([
    ["k=3", "t"],
    ["t=7", "k"],
    ["t=0&k=3", "t"],
    ["t=7&k=0", "k"],
    ["t=7&k=3&p=-1", "p"],
    ["t=7&k=3&s=0", "s"],
    ["t=7&k=3&d=0", "d"],
    ["t=7.5&k=3", "t"],
    ["t=1e3&k=3", "t"],
    ["t=0x10&k=3", "t"],
    ["t=%207&k=3", "t"],
    ["t=abc&k=3", "t"],
    ["t=100001&k=3", "t"],
    ["t=99999999999999999999&k=3", "t"],
    ["t=7&t=8&k=3", "t"],
    ["t=2&k=3", "k"],
    ["t=4&k=3&d=2", "k"],
    ["t=7&k=3&x=1", "x"],
  ])("%s is a 400 naming %s", async (query, parameter) => {
    const res = await app.request(`${URL_BASE}?${query}`);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(((await res.json()) as { parameter: string }).parameter).toBe(parameter);
  });

  it("explains a kernel larger than the padded input", async () => {
    const res = await app.request(`${URL_BASE}?t=4&k=3&d=2`);
    const p = (await res.json()) as { detail: string };
    expect(p.detail).toBe("k: the effective kernel size k' = 5 is larger than the padded input t + 2p = 4, so there is no output");
  });
});
