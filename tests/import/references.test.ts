import { describe, expect, it } from "vitest";
import { formatOf, parseReferences } from "../../src/import/references.js";

const ris = (title: string, author: string, year: number) => `TY  - JOUR\nTI  - ${title}\nAU  - ${author}\nPY  - ${year}\nER  - \n`;

describe("reference libraries", () => {
  it("gives RIS records without an ID a stable key from the first author and year", () => {
    const text = [ris("One", "Müller, Anna", 2019), ris("Two", "Müller, Anna", 2019), ris("Three", "Lee, Min-Ji", 2021)].join("\n");
    const a = parseReferences(text, "x.ris", "ris");
    const b = parseReferences(text, "x.ris", "ris");
    expect(a.items.map((i) => i.id)).toEqual(["muller2019a", "muller2019b", "lee2021"]);
    expect(b.items.map((i) => i.id)).toEqual(a.items.map((i) => i.id));
    expect(a.problems).toEqual([]);
  });

  it("keeps DOI, URL, full given names, venue, volume, issue, pages and type from BibTeX", () => {
    const bib = `@article{k, author={Esteva, Andre and Novoa, Roberto A.}, title={T}, journal={Nature}, year={2017},
      volume={542}, number={7639}, pages={115--118}, doi={10.1038/nature21056}, url={https://doi.org/10.1038/nature21056}}`;
    const { items } = parseReferences(bib, "x.bib", "bibtex");
    expect(items[0]).toMatchObject({
      id: "k",
      type: "article-journal",
      DOI: "10.1038/nature21056",
      URL: "https://doi.org/10.1038/nature21056",
      author: [
        { family: "Esteva", given: "Andre" },
        { family: "Novoa", given: "Roberto A." },
      ],
      "container-title": "Nature",
      volume: "542",
      issue: "7639",
      page: "115-118",
      issued: { "date-parts": [[2017]] },
    });
  });

  it("a file that does not parse is one error with its line", () => {
    const r = parseReferences("@article{a, title={x}}\n@article{b\n  title = {y}\n", "x.bib", "bibtex");
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ severity: "error", code: "bad-file", file: "x.bib" });
  });

  it("detects the format by extension, then by content", () => {
    expect(formatOf(".bib", "")).toBe("bibtex");
    expect(formatOf(".txt", "TY  - JOUR\n")).toBe("ris");
    expect(formatOf("", "\uFEFF  [{}]")).toBe("csl-json");
    expect(formatOf(".txt", "@misc{a,}")).toBe("bibtex");
    expect(formatOf(".txt", "hello")).toBeNull();
  });
});
