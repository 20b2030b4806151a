import { beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.js";
import { seededApp } from "../helpers/seeded.js";
import { countBy, q7, tsvStudies } from "./expected.js";

type Year = { year: number; count: number; series: Record<string, number>; median: number | null; median_n: number };
type Trends = { meta: { count: number; undated: number; series: string; series_keys: string[] }; years: Year[]; summary: string };

let app: App;
const tsv = tsvStudies();
beforeAll(() => {
  app = seededApp().app;
});

async function trends(query: string): Promise<Trends> {
  const res = await app.request(`/v1/trends?${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Trends;
}

describe("GET /v1/trends", () => {
  it("counts studies per year split by strategy, with each year's median accuracy", async () => {
    const t = await trends("");
    expect(t.meta).toMatchObject({ count: 24, undated: 0, series: "strategy", series_keys: ["combined", "feature-extraction", "fine-tuning"] });
    expect(t.years.map((y) => y.year)).toEqual([2015, 2016, 2017, 2018, 2019, 2020]);
    for (const y of t.years) {
      const inYear = tsv.filter((s) => s.year === y.year);
      expect(y.count).toBe(inYear.length);
      expect(y.series).toEqual({ combined: 0, "feature-extraction": 0, "fine-tuning": 0, ...countBy(inYear, (s) => s.strategy) });
      expect(y.median).toBeCloseTo(q7(inYear.map((s) => s.accuracy), 0.5), 3);
    }
    expect(t.years.find((y) => y.year === 2019)!.count).toBe(10);
  });

  it("splits by organ and by backbone (a study naming two backbones counts in both)", async () => {
    const organ = await trends("series=organ");
    expect(organ.years.find((y) => y.year === 2019)!.series).toEqual(countBy(tsv.filter((s) => s.year === 2019), (s) => s.organ));
    expect(organ.years.find((y) => y.year === 2019)!.series).toEqual({ brain: 1, breast: 3, heart: 3, lung: 3 });
    const backbone = await trends("series=backbone");
    const y2019 = backbone.years.find((y) => y.year === 2019)!;
    // 2019: GoogLeNet+AlexNet (one study), GoogLeNet, ResNet x2, Inception-ResNet-v2, VGG-16+VGG-19, VGG-16, and 3 unnamed.
    expect(y2019.series).toMatchObject({ AlexNet: 1, GoogLeNet: 2, ResNet: 2, "VGG-16": 2, "VGG-19": 1, "no backbone named": 3 });
    expect(y2019.count).toBe(10);
  });

  it("applies the filters and fills years with no study with zeros", async () => {
    const t = await trends("organ=breast&strategy=fine-tuning");
    expect(t.years.map((y) => [y.year, y.count, y.median])).toEqual([
      [2017, 1, 95],
      [2018, 1, 96.085],
    ]);
    const gap = await trends("condition=atrial");
    expect(gap.years.map((y) => [y.year, y.count])).toEqual([
      [2019, 1],
      [2020, 1],
    ]);
    const lung = await trends("condition=lung%20nodule");
    expect(lung.years.map((y) => [y.year, y.count])).toEqual([
      [2018, 1],
      [2019, 1],
    ]);
  });

  it("writes a summary from the numbers: span, peak year, strategy mix, medians", async () => {
    const { summary } = await trends("");
    expect(summary).toContain("The 24 matching studies were published between 2015 and 2020.");
    expect(summary).toContain("The busiest year was 2019, with 10 studies.");
    // 2015-2017: feature extraction 5 of 7; 2018-2020: feature extraction 8 of 17.
    expect(summary).toContain("feature extraction led in both 2015–2017 (5 of 7 studies) and 2018–2020 (8 of 17)");
    expect(summary).toContain("not the whole field");
  });

  it("applies the full-text filter", async () => {
    const t = await trends("q=arrhythmia&series=organ");
    expect(t.years.map((y) => [y.year, y.count, y.series])).toEqual([
      [2018, 1, { heart: 1 }],
      [2019, 1, { heart: 1 }],
    ]);
  });

  it("says so when nothing matches", async () => {
    const t = await trends("organ=kidney");
    expect(t).toMatchObject({ meta: { count: 0 }, years: [], summary: "No dated studies match these filters." });
  });

  it("rejects an unknown series", async () => {
    const res = await app.request("/v1/trends?series=modality");
    expect(res.status).toBe(400);
    expect(((await res.json()) as { parameter: string }).parameter).toBe("series");
  });
});
