import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import type { ChartStudy } from "../../src/web/charts.js";
import { formatRange, formatValue, headingUnit, metricName, metricTitle, resultText } from "../../src/web/metric-text.js";
import { valueChart } from "../../src/web/plots.js";
import { summarize } from "../../src/queries/statistics.js";

describe("a figure is written on its metric's scale", () => {
  it("percent keeps the review's style (95.3%), a fraction always has three decimals (0.960), never a %", () => {
    expect(formatValue(95.33, "percent")).toBe("95.3%");
    expect(formatValue(95.33, "percent", 2)).toBe("95.33%");
    expect(formatValue(96, "percent")).toBe("96%");
    expect(formatValue(0.96025, "fraction")).toBe("0.960");
    expect(formatValue(0.991, "fraction", 2)).toBe("0.991");
    expect(formatValue(12.3456, null)).toBe("12.346");
    expect(formatValue(null, "percent")).toBe("–");
    expect(formatRange(0.955, 0.9681, "fraction")).toBe("0.955–0.968");
    expect(formatRange(null, 0.9681, "fraction")).toBe("–");
  });

  it("names: abbreviations in capitals, a fraction's heading says 0–1, a percent's figures carry their %", () => {
    expect([metricName("auc"), metricTitle("accuracy"), metricTitle("balanced-accuracy"), metricTitle("f1")]).toEqual([
      "AUC",
      "Accuracy",
      "Balanced accuracy",
      "F1",
    ]);
    expect([headingUnit("percent"), headingUnit("fraction"), headingUnit(null)]).toEqual(["", " (0–1)", ""]);
  });

  it("a result printed on another scale shows the metric's figure first (an AUC printed 96% is 0.960)", () => {
    expect(resultText({ value: 0.96, text: "96%", scale: "fraction" })).toBe("0.960 (printed as 96%)");
    expect(resultText({ value: 0.991, text: "0.991", scale: "fraction" })).toBe("0.991");
    expect(resultText({ value: 96.085, text: "95.5% to 96.67%", scale: "percent" })).toBe("95.5% to 96.67%");
    expect(resultText(undefined)).toBeNull();
  });
});

describe("the value chart's axis follows the metric", () => {
  const study = (id: number, value: number, metric: string): ChartStudy => ({
    id,
    organ: "eye",
    condition: "retinopathy",
    strategy: "fine-tuning",
    year: 2016,
    metric,
    value,
    valueText: String(value),
    backbones: [],
  });
  const chart = (metric: string, scale: "percent" | "fraction" | null, values: number[]) => {
    const { document } = new JSDOM("").window;
    const studies = values.map((v, i) => study(i + 1, v, metric));
    // The group's box as /v1/stats would give it; the axis is decided by the dots drawn over it.
    const { n, median, q1, q3, min, max } = summarize(values);
    const box = { organ: "eye", strategy: "fine-tuning", count: values.length, n, median, q1, q3, min, max };
    const el = valueChart([box], studies, { metric, scale }, { width: 600, document });
    const svg = el.tagName.toLowerCase() === "svg" ? el : el.querySelector(":scope > svg")!;
    const ticks = [...svg.querySelectorAll('g[aria-label="x-axis tick label"] text')].map((t) => Number(t.textContent!.replace("−", "-")));
    return { label: svg.getAttribute("aria-label"), text: [...svg.querySelectorAll("text")].map((t) => t.textContent).join(" "), ticks, titles: [...svg.querySelectorAll("circle title")].map((t) => t.textContent) };
  };

  it("percent: up to 100, labelled (%)", () => {
    const c = chart("accuracy", "percent", [68, 95.3]);
    expect(c.label).toBe("Reported accuracy per organ and strategy");
    expect(c.text).toContain("Reported accuracy (%)");
    expect(Math.max(...c.ticks)).toBe(100);
    expect(Math.min(...c.ticks)).toBeGreaterThanOrEqual(65);
  });

  it("fraction: up to 1, labelled (0–1), every tick a fraction, the tooltips name the metric", () => {
    const c = chart("auc", "fraction", [0.94, 0.991]);
    expect(c.label).toBe("Reported AUC per organ and strategy");
    expect(c.text).toContain("Reported AUC (0–1)");
    expect(c.text).not.toContain("%");
    expect(Math.max(...c.ticks)).toBe(1);
    expect(Math.min(...c.ticks)).toBeGreaterThanOrEqual(0.9);
    expect(c.titles.every((t) => t?.includes("; AUC 0."))).toBe(true);
  });

  it("no known scale: the data's extent, without a unit", () => {
    const c = chart("score", null, [12, 30]);
    expect(c.text).toContain("Reported score");
    expect(Math.max(...c.ticks)).toBeLessThanOrEqual(30);
    expect(Math.min(...c.ticks)).toBeGreaterThanOrEqual(10);
  });
});
