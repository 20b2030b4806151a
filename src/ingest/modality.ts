/** Imaging or signal modality named in a title, with the words that told it. */
export type ModalityMatch = { modality: string; matched: string };

// The first rule that matches wins; specific before general ("MR images" before "images").
const RULES: ReadonlyArray<readonly [string, RegExp]> = [
  ["mammography", /mammogra\w*/i],
  ["histopathology", /histopatholog\w*/i],
  ["ultrasound", /sonograph\w*|ultrasound/i],
  ["MRI", /\bMRIs?\b|\bMR images\b|magnetic resonance/i],
  ["CT", /\bCT\b|computed tomography/i],
  ["X-ray", /x-?ray|radiograph\w*/i],
  ["ECG", /\bECG\b|electrocardiogra\w*/i],
  ["heart rate", /heart rate/i],
];

export function modalityFromTitle(title: string): ModalityMatch | null {
  for (const [modality, pattern] of RULES) {
    const m = title.match(pattern);
    if (m) return { modality, matched: m[0] };
  }
  return null;
}
