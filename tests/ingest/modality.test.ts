import { describe, expect, it } from "vitest";
import { modalityFromTitle } from "../../src/ingest/modality.js";

describe("modalityFromTitle on linked works' titles", () => {
  it.each([
    ["Exploring deep features from brain tumor magnetic resonance images via transfer learning", "MRI"],
    ["Application of deep transfer learning for automated brain abnormality classification using MR images", "MRI"],
    ["Deep learning analysis of breast MRIs for prediction of occult invasive disease in ductal carcinoma in situ", "MRI"],
    ["Digital mammographic tumor classification using transfer learning from deep convolutional neural networks", "mammography"],
    ["A deep learning approach for the analysis of masses in mammograms with minimal user intervention", "mammography"],
    ["Breast mass classification in sonography with transfer learning using a deep convolutional neural network and color conversion", "ultrasound"],
    ["Deep learning based analysis of histopathological images of breast cancer", "histopathology"],
    ["Convolutional neural networks for electrocardiogram classification", "ECG"],
    ["Transfer Learning in ECG Classification from Human to Horse Using a Novel Parallel Neural Network Architecture", "ECG"],
    ["Semi-supervised one-class transfer learning for heart rate based epileptic seizure detection", "heart rate"],
    ["Lung nodule malignancy classification in chest computed tomography images using transfer learning", "CT"],
  ])("%s → %s", (title, modality) => {
    expect(modalityFromTitle(title)?.modality).toBe(modality);
  });

  it("says nothing when the title does not name a modality", () => {
    expect(modalityFromTitle("Cardiovascular disease diagnosis using cross-domain transfer learning")).toBeNull();
    expect(modalityFromTitle("A deep learning-based radiomics model for prediction of survival in glioblastoma multiforme")).toBeNull();
  });
});
