import { describe, expect, it } from "vitest";
import { parseMethod } from "../../src/ingest/method.js";
import {
  backboneFamily,
  normalizeBackbone,
  normalizeMetric,
  normalizeModality,
  normalizeOrgan,
  normalizeStrategy,
  splitBackbones,
} from "../../src/ingest/vocabulary.js";

describe("backbones", () => {
  it.each([
    ["Inception_ResNet_V2", "Inception-ResNet-v2", "Inception-ResNet"],
    ["InceptionV3", "Inception-v3", "Inception"],
    ["inception v3", "Inception-v3", "Inception"],
    ["densenet121", "DenseNet-121", "DenseNet"],
    ["DenseNet-121", "DenseNet-121", "DenseNet"],
    ["VGG16", "VGG-16", "VGG"],
    ["resnet50", "ResNet-50", "ResNet"],
    ["ResNet", "ResNet", "ResNet"],
  ])("%s → %s (family %s)", (printed, value, family) => {
    expect(normalizeBackbone(printed)).toEqual({ value, mapped: true, family });
  });

  it("keeps an unknown name as printed, with the family it starts with, and says it was not mapped", () => {
    expect(normalizeBackbone(" DenseNet-264 ")).toEqual({ value: "DenseNet-264", mapped: false, family: "DenseNet" });
    expect(normalizeBackbone("MyNet")).toEqual({ value: "MyNet", mapped: false, family: null });
  });

  it("does not take ResNeXt for a ResNet", () => {
    expect(backboneFamily("ResNeXt-152")).toBe("ResNeXt");
  });

  it("names families for canonical names too", () => {
    expect(backboneFamily("ResNet")).toBe("ResNet");
    expect(backboneFamily("DenseNet-121")).toBe("DenseNet");
  });

  it("uses the canonical names of the curated review's method parser", () => {
    for (const text of ["VGG-16", "VGG-19", "Inception-v3", "Inception-v2", "Inception-ResNet-v2", "AlexNet", "GoogLeNet", "DenseNet", "MobileNet", "ResNet"]) {
      const [name] = parseMethod(text).backbones;
      expect(normalizeBackbone(text)).toMatchObject({ value: name, mapped: true });
    }
  });

  it.each([
    ["ResNet-50; DenseNet-121", ["ResNet-50", "DenseNet-121"]],
    ["VGG16 + ResNet50", ["VGG16", "ResNet50"]],
    ["AlexNet and GoogLeNet", ["AlexNet", "GoogLeNet"]],
    ["A, B", ["A", "B"]],
    ["", []],
  ])("splits %j", (cell, names) => {
    expect(splitBackbones(cell)).toEqual(names);
  });
});

describe("strategies", () => {
  it.each([
    ["retrained final layers", "feature-extraction"],
    ["feature extractor", "feature-extraction"],
    ["Frozen backbone", "feature-extraction"],
    ["fine tuned", "fine-tuning"],
    ["Fine-tuning all layers", "fine-tuning"],
    ["fine_tuning", "fine-tuning"],
    ["Feature extractor & Fine-tuning", "combined"],
  ])("%s → %s", (printed, value) => {
    expect(normalizeStrategy(printed)).toEqual({ value, mapped: true });
  });

  it("an empty cell states no strategy; an unknown one is kept", () => {
    expect(normalizeStrategy("  ")).toEqual({ value: "", mapped: true });
    expect(normalizeStrategy(" trained from  scratch")).toEqual({ value: "trained from scratch", mapped: false });
  });
});

describe("organs", () => {
  it.each([
    ["retina", "eye"],
    ["Ophthalmology", "eye"],
    ["dermatology", "skin"],
    ["Renal", "kidney"],
    ["Brain", "brain"],
    ["cardiac", "heart"],
    ["Breast", "breast"],
    ["pulmonary", "lung"],
  ])("%s → %s", (printed, value) => {
    expect(normalizeOrgan(printed)).toEqual({ value, mapped: true });
  });

  it("keeps an unknown organ as printed", () => {
    expect(normalizeOrgan(" Chest ")).toEqual({ value: "Chest", mapped: false });
  });
});

describe("metrics", () => {
  it.each([
    ["ROC-AUC", "auc"],
    ["AUROC", "auc"],
    ["area under the curve", "auc"],
    ["recall", "sensitivity"],
    ["TPR", "sensitivity"],
    ["Sensitivity", "sensitivity"],
    ["F1-score", "f1"],
    ["Accuracy", "accuracy"],
  ])("%s → %s", (printed, value) => {
    expect(normalizeMetric(printed)).toMatchObject({ value, mapped: true });
  });

  it("knows each metric's scale and range", () => {
    expect(normalizeMetric("accuracy")).toEqual({ value: "accuracy", mapped: true, scale: "percent", min: 0, max: 100 });
    expect(normalizeMetric("specificity")).toMatchObject({ scale: "percent", max: 100 });
    expect(normalizeMetric("AUC")).toEqual({ value: "auc", mapped: true, scale: "fraction", min: 0, max: 1 });
    expect(normalizeMetric("Dice")).toMatchObject({ scale: "fraction", min: 0, max: 1 });
    expect(normalizeMetric("IoU")).toMatchObject({ value: "jaccard", scale: "fraction" });
    expect(normalizeMetric("Cohen's kappa")).toEqual({ value: "kappa", mapped: true, scale: "fraction", min: -1, max: 1 });
    expect(normalizeMetric("MCC")).toMatchObject({ min: -1, max: 1 });
  });

  it("keeps an unknown metric, slugged, with no scale", () => {
    expect(normalizeMetric("Youden Index")).toEqual({ value: "youden-index", mapped: false, scale: null, min: null, max: null });
  });
});

describe("modalities", () => {
  it("maps to the names the title-based modality reader uses", () => {
    expect(normalizeModality("magnetic resonance imaging")).toEqual({ value: "MRI", mapped: true });
    expect(normalizeModality("Dermoscopic images")).toEqual({ value: "dermoscopy", mapped: true });
    expect(normalizeModality("fundus photographs")).toEqual({ value: "fundus photography", mapped: true });
    expect(normalizeModality("thermal imaging")).toEqual({ value: "thermal imaging", mapped: false });
  });
});
