import { beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.js";
import { seededApp } from "../helpers/seeded.js";
import { q7, tsvStudies } from "./expected.js";

type Option = {
  rank: number;
  name: string;
  n: number;
  summary: { median: number; q1: number; q3: number; min: number; max: number };
  spread: { iqr: number; range: number };
  latest_year: number;
  study_ids: number[];
  thin_evidence: boolean;
};
type Answer = { meta: { count: number; domain: Record<string, string> }; strategies: Option[]; backbones: Option[]; caveats: string[] };

let app: App;
const tsv = tsvStudies();
beforeAll(() => {
  app = seededApp().app;
});

async function recommend(query: string): Promise<Answer> {
  const res = await app.request(`/v1/recommendations?${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Answer;
}

describe("GET /v1/recommendations", () => {
  it("ranks brain strategies by median accuracy: fine-tuning 99.515 over feature extraction 95.225", async () => {
    const r = await recommend("organ=brain");
    expect(r.meta.count).toBe(8);
    expect(r.strategies.map((o) => [o.rank, o.name, o.n, o.summary.median, o.latest_year, o.thin_evidence])).toEqual([
      [1, "fine-tuning", 4, 99.515, 2020, false],
      [2, "feature-extraction", 4, 95.225, 2020, false],
    ]);
    const ft = tsv.filter((s) => s.organ === "brain" && s.strategy === "fine-tuning").map((s) => s.accuracy);
    expect(r.strategies[0]!.spread.iqr).toBeCloseTo(q7(ft, 0.75) - q7(ft, 0.25), 3);
    expect(r.strategies[0]!.spread.range).toBeCloseTo(Math.max(...ft) - Math.min(...ft), 3);
    expect(r.strategies[0]!.study_ids).toHaveLength(4);
  });

  it("ranks the brain backbones, each marked as thin evidence, and says so", async () => {
    const r = await recommend("organ=brain");
    expect(r.backbones.map((o) => [o.name, o.n, o.thin_evidence])).toEqual([
      ["VGG-19", 1, true],
      ["ResNet", 1, true],
      ["VGG-16", 1, true],
      ["Inception-v2", 1, true],
    ]);
    expect(r.caveats.join(" ")).toMatch(/Thin evidence \(fewer than 3 studies\) behind: VGG-19 \(1\), ResNet \(1\)/);
    expect(r.caveats.join(" ")).toMatch(/4 of 8 studies do not name a backbone/);
    expect(r.caveats.join(" ")).toMatch(/not directly comparable/);
  });

  it("puts options with at least 3 studies ahead of thin ones", async () => {
    const r = await recommend("organ=lung");
    // feature extraction: 3 studies, median 84.22; fine-tuning: 1 study at 87.8 ranks below it.
    expect(r.strategies.map((o) => [o.name, o.n, o.summary.median])).toEqual([
      ["feature-extraction", 3, 84.22],
      ["fine-tuning", 1, 87.8],
    ]);
    expect(r.backbones[0]).toMatchObject({ name: "VGG-16", n: 3, thin_evidence: false });
  });

  it("answers kidney, named in the review but without studies, with 200, empty rankings and a caveat", async () => {
    const r = await recommend("organ=kidney");
    expect(r.meta.count).toBe(0);
    expect(r.strategies).toEqual([]);
    expect(r.backbones).toEqual([]);
    expect(r.caveats).toHaveLength(1);
    expect(r.caveats[0]).toMatch(/No studies .* "kidney"/);
  });

  it("takes a condition substring and warns when fewer than 3 studies match", async () => {
    const r = await recommend("condition=nodule");
    expect(r.meta).toMatchObject({ count: 2, domain: { condition: "nodule" } });
    expect(r.caveats[0]).toMatch(/^Only 2 studies match condition containing "nodule"/);
    expect(r.backbones).toMatchObject([{ name: "VGG-16", n: 2, summary: { median: 77.9 } }]);
  });

  it("requires organ or condition", async () => {
    const res = await app.request("/v1/recommendations");
    expect(res.status).toBe(400);
    expect(((await res.json()) as { parameter: string }).parameter).toBe("organ");
    expect((await app.request("/v1/recommendations?organ=brain&strategy=fine-tuning")).status).toBe(400);
  });
});
