import { weights } from "./prng.js";

/**
 * The synthetic corpus mimics the seeded review: its four organs dominate, the long tail is what
 * an automatically extracted corpus adds. Weights are rough shares of the literature, not facts.
 */
type OrganSpec = {
  conditions: ReadonlyArray<readonly [string, number]>;
  modalities: ReadonlyArray<readonly [string | null, number]>;
};

const ORGANS: Record<string, { weight: number } & OrganSpec> = {
  brain: {
    weight: 18,
    conditions: [["brain tumor", 5], ["Alzheimer's disease", 3], ["glioblastoma multiforme", 1], ["medulloblastoma", 0.5], ["brain abnormality", 1], ["stroke", 1.5]],
    modalities: [["MRI", 7], ["CT", 2], ["histopathology", 1], [null, 2]],
  },
  heart: {
    weight: 10,
    conditions: [["arrhythmia", 4], ["atrial fibrillation", 3], ["cardiovascular disease", 2], ["epileptic seizure", 0.5], ["heart failure", 1]],
    modalities: [["ECG", 6], ["heart rate", 1], ["MRI", 1], ["ultrasound", 1], [null, 2]],
  },
  breast: {
    weight: 14,
    conditions: [["breast cancer", 6], ["breast mass", 2], ["breast tumor", 2], ["breast lesion", 1.5]],
    modalities: [["mammography", 5], ["histopathology", 3], ["ultrasound", 2], ["MRI", 1], [null, 2]],
  },
  lung: {
    weight: 16,
    conditions: [["lung nodule", 4], ["lung cancer", 3], ["lung carcinoma", 1], ["pneumonia", 3], ["COVID-19", 3], ["tuberculosis", 1]],
    modalities: [["CT", 6], ["X-ray", 5], ["histopathology", 1], [null, 2]],
  },
  skin: {
    weight: 7,
    conditions: [["melanoma", 4], ["skin lesion", 3], ["psoriasis", 0.5]],
    modalities: [["dermoscopy", 6], [null, 2]],
  },
  eye: {
    weight: 6,
    conditions: [["diabetic retinopathy", 4], ["glaucoma", 2], ["age-related macular degeneration", 1]],
    modalities: [["fundus photography", 5], ["OCT", 3], [null, 1]],
  },
  liver: {
    weight: 4,
    conditions: [["liver tumor", 3], ["liver fibrosis", 1.5], ["fatty liver", 1]],
    modalities: [["CT", 3], ["ultrasound", 3], ["MRI", 1], [null, 1]],
  },
  kidney: {
    weight: 3,
    conditions: [["kidney tumor", 2], ["kidney stone", 1], ["chronic kidney disease", 1]],
    modalities: [["CT", 3], ["ultrasound", 2], [null, 1]],
  },
  prostate: {
    weight: 3,
    conditions: [["prostate cancer", 4]],
    modalities: [["MRI", 4], ["histopathology", 2], [null, 1]],
  },
  colon: {
    weight: 3,
    conditions: [["colorectal cancer", 3], ["colon polyp", 2]],
    modalities: [["endoscopy", 3], ["histopathology", 2], [null, 1]],
  },
  bone: {
    weight: 3,
    conditions: [["fracture", 3], ["osteoarthritis", 2], ["bone age", 1]],
    modalities: [["X-ray", 5], ["CT", 1], [null, 1]],
  },
  teeth: {
    weight: 1,
    conditions: [["dental caries", 2], ["periodontitis", 1]],
    modalities: [["X-ray", 3], [null, 1]],
  },
};

export type Organ = { name: string; conditions: ReturnType<typeof weights<string>>; modalities: ReturnType<typeof weights<string | null>> };

export const ORGAN_TABLE = weights<Organ>(
  Object.entries(ORGANS).map(([name, spec]) => [
    { name, conditions: weights(spec.conditions), modalities: weights(spec.modalities) },
    spec.weight,
  ]),
);

// Null strategy: a method text that names neither fine-tuning nor feature extraction.
export const STRATEGY_TABLE = weights<"fine-tuning" | "feature-extraction" | "combined" | null>([
  ["fine-tuning", 46],
  ["feature-extraction", 42],
  ["combined", 8],
  [null, 4],
]);

export const BACKBONE_TABLE = weights<string>([
  ["VGG-16", 14], ["VGG-19", 7], ["ResNet", 6], ["ResNet-50", 14], ["ResNet-101", 4], ["ResNet-152", 2],
  ["Inception-v3", 8], ["Inception-v2", 1], ["Inception-ResNet-v2", 3], ["GoogLeNet", 4], ["AlexNet", 5],
  ["DenseNet-121", 8], ["DenseNet-201", 3], ["MobileNet-v2", 5], ["EfficientNet-B0", 6], ["Xception", 3],
  ["ViT-B/16", 4], ["Swin-T", 2], ["ConvNeXt-T", 1],
]);

/** 1 backbone most often, sometimes an ensemble of 2 or 3. */
export const BACKBONE_COUNT_TABLE = weights<number>([[1, 70], [2, 22], [3, 8]]);

export const YEAR_FIRST = 2000;
export const YEAR_LAST = 2025;
/** Publications grow roughly exponentially; this weights each year by ~20% over the last. */
export const YEAR_TABLE = weights<number>(
  Array.from({ length: YEAR_LAST - YEAR_FIRST + 1 }, (_, i) => [YEAR_FIRST + i, 1.2 ** i] as const),
);

export const METHOD_PHRASES: Record<"fine-tuning" | "feature-extraction" | "combined", readonly string[]> = {
  "fine-tuning": ["Fine-tuning on %", "Fine-tuned %", "Transfer learning by fine-tuning %"],
  "feature-extraction": ["% as feature extractor", "Features extracted with %", "% as Feature extractor"],
  combined: ["% as feature extractor & Fine-tuning", "Feature extractor & Fine-tuning on %"],
};
export const UNCLASSIFIED_METHODS = ["Transfer learning with %", "Pre-trained %", "Ensemble of %"];

export const SURNAMES = [
  "Wang", "Li", "Zhang", "Chen", "Liu", "Kim", "Lee", "Park", "Nguyen", "Singh", "Kumar", "Sharma", "Patel",
  "Ahmed", "Ali", "Hussein", "Ibrahim", "Smith", "Johnson", "Brown", "Garcia", "Martinez", "Rossi", "Bianchi",
  "Müller", "Schmidt", "Schneider", "Dubois", "Moreau", "Silva", "Santos", "Tanaka", "Suzuki", "Sato", "Ivanov",
  "Kowalski", "Nishio", "Shi", "Lakshmi", "Cruz-Roa", "Xu", "Yilmaz", "Öztürk", "Haddad", "Okafor", "Mensah",
];
export const INITIALS = [..."ABCDEFGHIJKLMNOPRSTVWYZ"];
export const VENUES = [
  "IEEE Access", "Medical Image Analysis", "IEEE Transactions on Medical Imaging", "Scientific Reports",
  "Computers in Biology and Medicine", "Journal of Digital Imaging", "Diagnostics", "Radiology: Artificial Intelligence",
  "Biomedical Signal Processing and Control", "Computer Methods and Programs in Biomedicine", "MICCAI",
  "Pattern Recognition Letters", "Neural Computing and Applications", "PLOS ONE",
];
export const TITLE_OPENINGS = [
  "Deep transfer learning for", "Transfer learning with convolutional neural networks for",
  "A pre-trained network approach to", "Automated classification of", "Fine-tuned deep features for",
  "Detection of", "An ensemble of pre-trained models for", "Explainable transfer learning for",
];
export const TITLE_ENDINGS = ["", " using % images", " from % scans", " in % data", ": a retrospective study", " on a multi-centre % cohort"];
