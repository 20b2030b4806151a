import { describe, expect, it } from "vitest";
import { mapColumns } from "../../src/import/columns.js";
import { located } from "./helpers.js";

describe("mapColumns", () => {
  it("recognises synonyms whatever their case, spaces or underscores", () => {
    const c = mapColumns(["Study ID", "BODY_PART", "disease", "Approach", "TL strategy", "CNN", "Publication year", "Outcome measure", "Score", "Imaging modality", "Sample size", "Data set", "Unit"], "s.csv");
    expect(c.problems).toEqual([]);
    expect(c.fields).toEqual({ citation: 0, organ: 1, condition: 2, method: 3, strategy: 4, backbone: 5, year: 6, metric: 7, value: 8, modality: 9, n: 10, dataset: 11, unit: 12 });
  });

  it("reads metric-named columns of a wide sheet, with a unit in brackets", () => {
    const c = mapColumns(["cite_key", "Domain", "Task", "Accuracy (%)", "AUC [0-1]", "F1-score"], "s.csv");
    expect(c.problems).toEqual([]);
    expect(c.metricColumns.map((m) => [m.index, m.metric.value, m.unit])).toEqual([
      [3, "accuracy", "percent"],
      [4, "auc", "fraction"],
      [5, "f1", null],
    ]);
  });

  it("two columns for one field is an error; --map settles it", () => {
    const both = mapColumns(["Citation", "Organ", "Disease", "Condition", "Accuracy"], "s.csv");
    expect(located(both.problems)).toEqual(["error duplicate-column s.csv:1 Condition"]);
    const mapped = mapColumns(["Citation", "Organ", "Disease", "Condition", "Accuracy"], "s.csv", { Condition: "ignore" });
    expect(mapped.problems).toEqual([]);
    expect(mapped.fields.condition).toBe(2);
  });

  it("--map names a field, a metric, or ignore; an explicit choice wins over a synonym", () => {
    const c = mapColumns(["Ref", "Site", "Dx", "Top-1", "Model", "Net"], "s.csv", { Site: "organ", Dx: "condition", "Top-1": "accuracy", Net: "backbone" });
    expect(c.problems.filter((p) => p.severity === "error")).toEqual([]);
    expect(c.fields).toMatchObject({ citation: 0, organ: 1, condition: 2, backbone: 5 });
    expect(c.metricColumns.map((m) => m.metric.value)).toEqual(["accuracy"]);
    expect(located(c.problems)).toEqual(["warning unknown-column s.csv:1 Model"]);
  });

  it("a --map target that is no field or metric is a bad argument", () => {
    const c = mapColumns(["Citation", "Organ", "Condition", "Accuracy"], "s.csv", { Organ: "bodypartz" });
    expect(located(c.problems)).toContain("error bad-argument s.csv:1 Organ");
  });

  it("a long sheet needs both metric and value", () => {
    const c = mapColumns(["Citation", "Organ", "Condition", "Value"], "s.csv");
    expect(located(c.problems)).toEqual(["error missing-column s.csv:1 metric"]);
  });
});
