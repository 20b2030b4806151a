import { describe, expect, it } from "vitest";
import { parseReference, workKey } from "../../src/ingest/reference.js";

describe("parseReference on real entries of the reference list", () => {
  it("journal style with venue, volume(issue):pages and italics marks", () => {
    expect(
      parseReference(
        "Armato SG et al (2011) The lung image database consortium, (LIDC) and image database resource initiative (IDRI): a completed reference database of lung nodules on CT scans. *Med Phys* 38(2):915–931.",
      ),
    ).toEqual({
      authors: ["Armato SG", "et al."],
      year: 2011,
      title:
        "The lung image database consortium, (LIDC) and image database resource initiative (IDRI): a completed reference database of lung nodules on CT scans",
      venue: "Med Phys",
      volume: "38",
      issue: "2",
      pages: "915–931",
    });
  });

  it("proceedings style 'In:' with a stray citation number at the end", () => {
    expect(
      parseReference(
        "Xu Y et al (2015) Deep convolutional activation features for large scale brain tumor histopathology image classification and segmentation. In: 2015 IEEE international conference on acoustics, speech and signal processing (ICASSP), pp 947–951: IEEE [24]",
      ),
    ).toEqual({
      authors: ["Xu Y", "et al."],
      year: 2015,
      title: "Deep convolutional activation features for large scale brain tumor histopathology image classification and segmentation",
      venue: "2015 IEEE international conference on acoustics, speech and signal processing (ICASSP)",
      volume: null,
      issue: null,
      pages: "947–951",
    });
  });

  it("lower-case ', in' proceedings and a title ending in a stray quote", () => {
    const a = parseReference(
      "De Cooman T, Varon C, Van de Vel A, Ceulemans B, Lagae L, Van Huffel S (2017) Semi-supervised one-class transfer learning for heart rate based epileptic seizure detection, in 2017 Computing in Cardiology (CinC), pp. 1–4: IEEE",
    );
    expect(a.title).toBe("Semi-supervised one-class transfer learning for heart rate based epileptic seizure detection");
    expect(a.venue).toBe("2017 Computing in Cardiology (CinC)");
    expect(a.authors).toHaveLength(6);
    const b = parseReference(
      'Diker A, Cömert Z, Avcı E, Toğaçar M, Ergen B (2019) A Novel Application based on Spectrogram and Convolutional Neural Network for ECG Classification," In 2019 1st International Informatics and Software Engineering Conference (UBMYK), pp. 1–6: IEEE',
    );
    expect(b.title).toBe("A Novel Application based on Spectrogram and Convolutional Neural Network for ECG Classification");
    expect(b.pages).toBe("1–6");
  });

  it("'vol., no., pp.' style without a venue", () => {
    expect(
      parseReference(
        "Shi Z et al (2019) A deep CNN based transfer learning method for false positive reduction, vol. 78, no. 1, pp. 1017–1033",
      ),
    ).toMatchObject({ year: 2019, title: "A deep CNN based transfer learning method for false positive reduction", volume: "78", issue: "1", pages: "1017–1033", venue: null });
  });

  it("bare 'volume, issue, pages' style", () => {
    expect(
      parseReference(
        "Shin H-C et al (2016) Deep convolutional neural networks for computer-aided detection: CNN architectures, dataset characteristics and transfer learning, 35, 5, 1285–1298.",
      ),
    ).toMatchObject({ volume: "35", issue: "5", pages: "1285–1298", title: "Deep convolutional neural networks for computer-aided detection: CNN architectures, dataset characteristics and transfer learning" });
  });

  it("a journal abbreviation with periods stays in the venue", () => {
    expect(
      parseReference("Al Rahhal MM, Bazi Y, Al Zuair M, Othman E, BenJdira BJJOM (2018) Convolutional neural networks for electrocardiogram classification. *B. Eng* 38(6):1014–1025"),
    ).toMatchObject({ title: "Convolutional neural networks for electrocardiogram classification", venue: "B. Eng", volume: "38", issue: "6" });
  });

  it("quoted-title style with semicolon authors and a 'Volume'", () => {
    expect(
      parseReference(
        'Media Ali Ibrahim; Shavan Askar, "An Intelligent Scheduling Strategy in Fog Computing System Based on Multi-Objective Deep Reinforcement Learning Algorithm", IEEE Access, Volume 11, 2023.',
      ),
    ).toEqual({
      authors: ["Media Ali Ibrahim", "Shavan Askar"],
      year: 2023,
      title: "An Intelligent Scheduling Strategy in Fog Computing System Based on Multi-Objective Deep Reinforcement Learning Algorithm",
      venue: "IEEE Access",
      volume: "11",
      issue: null,
      pages: null,
    });
  });

  it("quoted-title style with '&' authors, the year before the title and vol(issue), pages", () => {
    expect(
      parseReference(
        'Kosrat Dlshad Ahmed & Shavan Askar, 2021. "Deep Learning Models for Cyber Security in IoT Networks: A Review," International Journal of Science and Business, IJSAB International, vol. 5(3), pages 61-70',
      ),
    ).toEqual({
      authors: ["Kosrat Dlshad Ahmed", "Shavan Askar"],
      year: 2021,
      title: "Deep Learning Models for Cyber Security in IoT Networks: A Review",
      venue: "International Journal of Science and Business",
      volume: "5",
      issue: "3",
      pages: "61-70",
    });
  });

  it("gives the same work key to two printings of one work", () => {
    const a = parseReference(
      "Xu Y et al (2015) Deep convolutional activation features for large scale brain tumor histopathology image classification and segmentation. In: 2015 IEEE international conference on acoustics, speech and signal processing (ICASSP), pp 947–951: IEEE [24]",
    );
    const b = parseReference(
      "Xu Y et al (2015) Deep convolutional activation features for large scale brain tumor histopathology image classification and segmentation. In: 2015 IEEE international conference on acoustics, speech and signal processing (ICASSP), pp 947–951: IEEE",
    );
    expect(workKey(a)).toBe(workKey(b));
    expect(workKey(a)).not.toBe(workKey(parseReference("Xu Y et al (2016) Another title")));
  });
});
