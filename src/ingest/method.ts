export const STRATEGIES = ["fine-tuning", "feature-extraction", "combined"] as const;
export type Strategy = (typeof STRATEGIES)[number];

/**
 * Canonical backbone names and the printed spellings that map to them. Order matters: the
 * longer names are tried first so "Inception_ResNet_V2" is not read as ResNet or Inception.
 */
const BACKBONE_PATTERNS: ReadonlyArray<readonly [string, RegExp]> = [
  ["Inception-ResNet-v2", /inception[\s_-]*resnet[\s_-]*v2/i],
  ["Inception-v3", /inception[\s_-]*v3/i],
  ["Inception-v2", /inception[\s_-]*v2/i],
  ["VGG-16", /vgg[\s_-]*16/i],
  ["VGG-19", /vgg[\s_-]*19/i],
  ["AlexNet", /alex[\s_-]*net/i],
  ["GoogLeNet", /googl?e[\s_-]*net/i],
  ["DenseNet", /dense[\s_-]*net/i],
  ["MobileNet", /mobile[\s_-]*net/i],
  ["ResNet", /resnets?\b|[\w-]*-resnets?/i],
];

export type ParsedMethod = { strategy: Strategy | null; backbones: string[] };

/** Reads a printed transfer-method cell into a strategy and the backbones it names. */
export function parseMethod(text: string): ParsedMethod {
  const fine = /fine[\s-]*tun/i.test(text);
  const feature = /feature[\s-]*extract/i.test(text);
  const strategy: Strategy | null =
    fine && feature ? "combined" : fine ? "fine-tuning" : feature ? "feature-extraction" : null;

  const backbones: string[] = [];
  let rest = text;
  for (const [name, pattern] of BACKBONE_PATTERNS) {
    if (pattern.test(rest)) {
      backbones.push(name);
      // Remove what matched so a composite name is not counted again as its parts.
      rest = rest.replace(new RegExp(pattern.source, "gi"), " ");
    }
  }
  return { strategy, backbones };
}
