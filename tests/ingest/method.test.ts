import { describe, expect, it } from "vitest";
import { parseMethod } from "../../src/ingest/method.js";

describe("parseMethod on every distinct printed transfer method", () => {
  const cases: [string, ReturnType<typeof parseMethod>][] = [
    ["VGG-16 as feature extractor", { strategy: "feature-extraction", backbones: ["VGG-16"] }],
    ["Feature extractor", { strategy: "feature-extraction", backbones: [] }],
    ["Fine-tuning", { strategy: "fine-tuning", backbones: [] }],
    ["Fine-tuning on Inception-V2", { strategy: "fine-tuning", backbones: ["Inception-v2"] }],
    ["Fine-tuning on ResNet", { strategy: "fine-tuning", backbones: ["ResNet"] }],
    ["VGG-19 as feature extractor", { strategy: "feature-extraction", backbones: ["VGG-19"] }],
    ["Fine-tuning on GoogLeNet and AlexNet", { strategy: "fine-tuning", backbones: ["AlexNet", "GoogLeNet"] }],
    ["Fine-tuning on GoogLeNet", { strategy: "fine-tuning", backbones: ["GoogLeNet"] }],
    [
      "Assembling Multi-scale-ResNet and Fast-downsampling-ResNets as feature extractor",
      { strategy: "feature-extraction", backbones: ["ResNet"] },
    ],
    ["AlexNet as Feature extractor", { strategy: "feature-extraction", backbones: ["AlexNet"] }],
    ["Feature extractor & Fine-tuning", { strategy: "combined", backbones: [] }],
    ["Inception_ResNet_V2 as Feature extractor", { strategy: "feature-extraction", backbones: ["Inception-ResNet-v2"] }],
    ["VGG-16 & VGG-19 as feature extractor", { strategy: "feature-extraction", backbones: ["VGG-16", "VGG-19"] }],
    ["Fine-tuning on VGG-16", { strategy: "fine-tuning", backbones: ["VGG-16"] }],
  ];
  it.each(cases)("%s", (text, expected) => {
    const got = parseMethod(text);
    expect(got.strategy).toBe(expected.strategy);
    expect([...got.backbones].sort()).toEqual([...expected.backbones].sort());
  });

  it("names no strategy when the text names neither", () => {
    expect(parseMethod("Trained from scratch").strategy).toBeNull();
  });
});
