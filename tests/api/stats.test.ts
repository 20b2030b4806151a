import { beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.js";
import { seededApp } from "../helpers/seeded.js";
import { countBy, q7, tsvStudies } from "./expected.js";

type Summary = { n: number; n_missing: number; mean: number; median: number; q1: number; q3: number; min: number; max: number };
type Group = { key: Record<string, string | number | null>; key_display_name: string; count: number; summary: Summary };
type Stats = { meta: { count: number; group_by: string[]; metric: string; quartile_method: string; note: string }; groups: Group[] };

let app: App;
const tsv = tsvStudies();
beforeAll(() => {
  app = seededApp().app;
});

async function stats(query: string): Promise<Stats> {
  const res = await app.request(`/v1/stats?${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Stats;
}

describe("GET /v1/stats", () => {
  it("groups by organ: counts, and accuracy summaries computed again here from the TSV", async () => {
    const s = await stats("group_by=organ");
    expect(s.meta).toMatchObject({ count: 24, group_by: ["organ"], metric: "accuracy" });
    expect(s.groups.map((g) => g.key.organ)).toEqual(["brain", "breast", "heart", "lung"]);
    for (const g of s.groups) {
      const xs = tsv.filter((t) => t.organ === g.key.organ).map((t) => t.accuracy);
      expect(g.count).toBe(xs.length);
      expect(g.summary.n).toBe(xs.length);
      expect(g.summary.n_missing).toBe(0);
      expect(g.summary.median).toBeCloseTo(q7(xs, 0.5), 3);
      expect(g.summary.q1).toBeCloseTo(q7(xs, 0.25), 3);
      expect(g.summary.q3).toBeCloseTo(q7(xs, 0.75), 3);
      expect(g.summary.mean).toBeCloseTo(xs.reduce((a, b) => a + b, 0) / xs.length, 3);
      expect(g.summary.min).toBe(Math.min(...xs));
      expect(g.summary.max).toBe(Math.max(...xs));
    }
  });

  it("has the hand-checked per-organ medians 97.475 brain, 95 breast, 96.55 heart, 86.01 lung", async () => {
    const s = await stats("group_by=organ");
    expect(Object.fromEntries(s.groups.map((g) => [g.key.organ, g.summary.median]))).toEqual({
      brain: 97.475,
      breast: 95,
      heart: 96.55,
      lung: 86.01,
    });
    // Type-7 quartiles of lung (68, 84.22, 87.8, 90): q1 = 68 + 0.75 * 16.22, q3 = 87.8 + 0.25 * 2.2.
    const lung = s.groups.find((g) => g.key.organ === "lung")!.summary;
    expect(lung.q1).toBe(80.165);
    expect(lung.q3).toBe(88.35);
  });

  it("groups by two keys, with a display name", async () => {
    const s = await stats("group_by=organ,strategy");
    const expected = countBy(tsv, (t) => `${t.organ} · ${t.strategy}`);
    expect(Object.fromEntries(s.groups.map((g) => [g.key_display_name, g.count]))).toEqual(expected);
    expect(s.groups[0]!.key).toEqual({ organ: "brain", strategy: "feature-extraction" });
  });

  it("counts a study with two backbones once in each backbone's group", async () => {
    const s = await stats("group_by=backbone");
    const named = tsv.flatMap((t) => t.backbones);
    const byName = Object.fromEntries(s.groups.filter((g) => g.key.backbone !== null).map((g) => [g.key.backbone, g.count]));
    expect(byName).toEqual(countBy(named, (b) => b));
    expect(byName["VGG-16"]).toBe(4);
    const none = s.groups.at(-1)!;
    expect(none.key).toEqual({ backbone: null });
    expect(none.key_display_name).toBe("no backbone named");
    expect(none.count).toBe(tsv.filter((t) => t.backbones.length === 0).length);
    expect(s.meta.count).toBe(24);
    expect(s.groups.reduce((n, g) => n + g.count, 0)).toBe(26);
  });

  it("groups by year in time order, and applies the study filters", async () => {
    const s = await stats("group_by=year");
    expect(s.groups.map((g) => g.key.year)).toEqual([2015, 2016, 2017, 2018, 2019, 2020]);
    expect(s.groups.map((g) => g.count)).toEqual([2015, 2016, 2017, 2018, 2019, 2020].map((y) => tsv.filter((t) => t.year === y).length));
    const brain = await stats("group_by=strategy&organ=brain");
    expect(brain.meta.count).toBe(8);
    expect(brain.groups.map((g) => [g.key.strategy, g.count, g.summary.median])).toEqual([
      ["feature-extraction", 4, 95.225],
      ["fine-tuning", 4, 99.515],
    ]);
  });

  it("groups by modality and condition, a missing modality last", async () => {
    // 11 studies have a modality from their linked title (MRI 3, ECG 3, mammography 2, three others 1 each).
    const m = await stats("group_by=modality");
    expect(m.groups.at(-1)).toMatchObject({ key: { modality: null }, key_display_name: "modality not stated", count: 13 });
    const c = await stats("group_by=condition&organ=breast");
    expect(Object.fromEntries(c.groups.map((g) => [g.key.condition, g.count]))).toEqual(
      countBy(tsv.filter((t) => t.organ === "breast"), (t) => t.condition),
    );
  });

  it("applies every study filter, full-text q included", async () => {
    expect((await stats("q=mammographic")).groups).toMatchObject([{ key: { organ: "breast" }, count: 1 }]);
    const s = await stats("group_by=strategy&backbone=VGG-16&year_from=2019&accuracy_min=85&condition=lung&modality=MRI");
    expect(s.meta.count).toBe(0);
    const vgg = await stats("group_by=strategy&backbone=VGG-16&year_from=2019&accuracy_min=85&condition=lung");
    // Hand-checked: Table 4 rows 3 (feature extraction, 90%) and 4 (fine-tuning, 87.8%).
    expect(vgg.groups.map((g) => g.key.strategy)).toEqual(["feature-extraction", "fine-tuning"]);
    expect(vgg.groups.map((g) => [g.key.strategy, g.count])).toEqual(
      Object.entries(
        countBy(
          tsv.filter((t) => t.backbones.includes("VGG-16") && t.year >= 2019 && t.accuracy >= 85 && t.condition.includes("lung")),
          (t) => t.strategy,
        ),
      ),
    );
  });

  it("answers an empty filter with no groups", async () => {
    expect(await stats("organ=kidney")).toMatchObject({ meta: { count: 0 }, groups: [] });
  });

  it("names its metric, quartile method and the not-comparable caveat; de-duplicates keys", async () => {
    const s = await stats("group_by=organ,organ&metric=accuracy");
    expect(s.meta.group_by).toEqual(["organ"]);
    expect(s.meta.quartile_method).toMatch(/type 7/);
    expect(s.meta.note).toMatch(/midpoint/);
  });

  it("rejects an unknown group key or metric, naming the parameter", async () => {
    for (const [q, parameter] of [
      ["group_by=organ,colour", "group_by"],
      ["group_by=", "group_by"],
      ["metric=auc", "metric"],
    ]) {
      const res = await app.request(`/v1/stats?${q}`);
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as { parameter: string }).parameter).toBe(parameter);
    }
  });

  it("exports one CSV row per group", async () => {
    const res = await app.request("/v1/stats?group_by=organ,strategy&format=csv");
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="stats-organ-strategy-accuracy.csv"');
    const lines = (await res.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe("organ,strategy,key_display_name,count,n,n_missing,mean,median,q1,q3,min,max");
    expect(lines).toHaveLength(1 + Object.keys(countBy(tsv, (t) => `${t.organ}/${t.strategy}`)).length);
    expect(lines).toContain("brain,fine-tuning,brain · fine-tuning,4,4,0,96.515,99.515,96.425,99.605,87.2,99.83");
  });
});
