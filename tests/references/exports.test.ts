import { beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.js";
import type { CslItem } from "../../src/api/csl.js";
import { seededApp } from "../helpers/seeded.js";

let app: App;
beforeAll(() => {
  app = seededApp().app;
});

async function download(query: string, contentType: string, filename: string): Promise<string> {
  const res = await app.request(`/v1/references?${query}`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe(`${contentType}; charset=utf-8`);
  expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${filename}"`);
  return res.text();
}

async function jsonCount(query: string): Promise<number> {
  const res = await app.request(`/v1/references?${query}`);
  return ((await res.json()) as { meta: { count: number } }).meta.count;
}

const bibEntries = (text: string) => text.match(/^@\w+\{[^,]+,$/gm) ?? [];
const bibEntry = (text: string, key: string) => text.split(/\n(?=@)/).find((e) => e.includes(`{${key},`)) ?? "";

describe("format=bibtex", () => {
  it("writes one entry per work: 53 in all, as many as the JSON count for a query", async () => {
    expect(bibEntries(await download("format=bibtex", "application/x-bibtex", "references.bib"))).toHaveLength(53);
    const n = await jsonCount("q=transfer%20learning");
    expect(n).toBe(18);
    expect(bibEntries(await download("format=bibtex&q=transfer%20learning", "application/x-bibtex", "references.bib"))).toHaveLength(n);
  });

  it("splits both name styles into family and given, and ends a truncated list with 'and others'", async () => {
    const bib = await download("format=bibtex", "application/x-bibtex", "references.bib");
    const cruz = bibEntry(bib, "CruzRoa2015_8");
    expect(cruz).toMatch(/^@inproceedings\{/);
    expect(cruz).toContain("author = {Cruz-Roa, A and Ar{\\' e}valo, J and Judkins, A and Madabhushi, A and Gonz{\\' a}lez, F}");
    expect(cruz).toContain("booktitle = {11th {International} {Symposium} on {Medical} {Information} {Processing} and {Analysis}}");
    expect(cruz).toContain("volume = {9681}");

    expect(bibEntry(bib, "Ibrahim2023_1")).toContain("author = {Ibrahim, Media Ali and Askar, Shavan}");
    const armato = bibEntry(bib, "Armato2011_3");
    expect(armato).toMatch(/^@article\{/);
    expect(armato).toContain("author = {Armato, SG and others}");
    expect(armato).toContain("journal = {Med Phys}");
    expect(armato).toContain("pages = {915--931}");
    expect(bib).not.toContain("{others}");
    // Every truncated list (JSON authors_truncated) and only those end with "and others".
    const res = await app.request("/v1/references?limit=500");
    const truncated = ((await res.json()) as { results: { authors_truncated: boolean }[] }).results.filter((r) => r.authors_truncated);
    expect(bib.match(/ and others\},$/gm)).toHaveLength(truncated.length);
  });
});

describe("format=ris", () => {
  it("writes one record per work with unwrapped lines", async () => {
    const ris = await download("format=ris", "application/x-research-info-systems", "references.ris");
    expect(ris.match(/^TY {2}- /gm)).toHaveLength(53);
    expect(ris.match(/^ER {2}- /gm)).toHaveLength(53);
    // citation-js wraps at 70 characters; every line must still be a tagged line.
    expect(ris.replace(/\n$/, "").split("\n").filter((l) => !/^[A-Z][A-Z0-9] {2}- /.test(l))).toEqual([]);
    expect(ris).toContain("TI  - An Intelligent Scheduling Strategy in Fog Computing System Based on Multi-Objective Deep Reinforcement Learning Algorithm\n");
  });

  it("types conference papers CONF and journal articles JOUR, with split names", async () => {
    const ris = await download("format=ris&year=2015", "application/x-research-info-systems", "references.ris");
    expect(ris.match(/^TY {2}- /gm)).toHaveLength(await jsonCount("year=2015"));
    const cruz = ris.split(/\n(?=TY {2}- )/).find((r) => r.includes("ID  - work-8\n")) ?? "";
    expect(cruz).toMatch(/^TY {2}- CONF\n/);
    expect(cruz).toContain("AU  - Cruz-Roa, A\nAU  - Arévalo, J\n");
    const armato = await download("format=ris&q=lung%20image%20database", "application/x-research-info-systems", "references.ris");
    expect(armato).toMatch(/^TY {2}- JOUR\n/);
    expect(armato).toContain('N1  - The printed author list ends with "et al."');
    expect(armato).not.toMatch(/AU {2}- others/);
  });
});

describe("format=csl-json", () => {
  it("is an array with one item per work", async () => {
    const all = JSON.parse(await download("format=csl-json", "application/vnd.citationstyles.csl+json", "references.json")) as CslItem[];
    expect(all).toHaveLength(53);
    const cited = JSON.parse(await download("format=csl-json&cited=true", "application/vnd.citationstyles.csl+json", "references.json")) as CslItem[];
    expect(cited).toHaveLength(await jsonCount("cited=true"));
  });

  it("maps a conference paper and a journal article", async () => {
    const items = JSON.parse(await download("format=csl-json&year=2015", "application/vnd.citationstyles.csl+json", "references.json")) as CslItem[];
    const cruz = items.find((i) => i.id === "work-8");
    expect(cruz).toMatchObject({
      type: "paper-conference",
      "container-title": "11th International Symposium on Medical Information Processing and Analysis",
      issued: { "date-parts": [[2015]] },
      page: "968103",
    });
    expect(cruz?.author[0]).toEqual({ family: "Cruz-Roa", given: "A" });
    const [armato] = JSON.parse(
      await download("format=csl-json&q=lung%20image%20database", "application/vnd.citationstyles.csl+json", "references.json"),
    ) as CslItem[];
    expect(armato).toMatchObject({ type: "article-journal", "container-title": "Med Phys", volume: "38", issue: "2" });
    expect(armato?.author).toEqual([{ family: "Armato", given: "SG" }]);
  });
});

describe("format=csv", () => {
  it("has a header and one row per work", async () => {
    const csv = await download("format=csv", "text/csv", "references.csv");
    const lines = csv.trimEnd().split("\r\n");
    expect(lines).toHaveLength(54);
    expect(lines[0]).toBe("id,review,printed_numbers,authors,year,title,venue,volume,issue,pages,type,off_topic,study_ids,raw");
    const cited = (await download("format=csv&cited=true", "text/csv", "references.csv")).trimEnd().split("\r\n");
    expect(cited).toHaveLength(24 + 1);
    expect(cited[1]).toMatch(/^8,dlmia-2024,8; 13,Cruz-Roa A; Arévalo J; Judkins A; Madabhushi A; González F,2015,/);
  });

  it("writes the unnumbered entry and et al. in words", async () => {
    const csv = await download("format=csv&q=false%20positive", "text/csv", "references.csv");
    expect(csv.split("\r\n")[1]).toMatch(/^46,dlmia-2024,unnumbered,Shi Z; et al\.,2019,/);
  });
});

describe("caching downloads", () => {
  it("answers a repeated download with the same ETag, and 304 to If-None-Match", async () => {
    const first = await app.request("/v1/references?format=bibtex&cited=true");
    const etag = first.headers.get("etag");
    // Weak: a streamed download is tagged by the data and the URL, not by hashing bytes not yet written.
    expect(etag).toMatch(/^W\/"[0-9a-f]+"$/);
    expect((await app.request("/v1/references?format=bibtex&cited=true")).headers.get("etag")).toBe(etag);
    expect((await app.request("/v1/references?format=ris&cited=true")).headers.get("etag")).not.toBe(etag);
    const again = await app.request("/v1/references?format=bibtex&cited=true", { headers: { "If-None-Match": etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
  });
});

describe("download errors", () => {
  it.each([
    ["format=bibtex&limit=5", "limit"],
    ["format=ris&cursor=eyJpZCI6Mn0", "cursor"],
    ["format=BIBTEX", "format"],
    ["format=", "format"],
    ["format=bibtex&format=ris", "format"],
  ])("%s is a 400 naming %s", async (query, parameter) => {
    const res = await app.request(`/v1/references?${query}`);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(((await res.json()) as { parameter: string }).parameter).toBe(parameter);
  });
});

describe("a download larger than SQLite's bound-parameter limit", () => {
  it("answers 200 with every work, their numbers and citing studies kept", async () => {
    const { db, app: big } = seededApp();
    // 40,000 more works than the review's 53: a list of their ids would exceed 32,766 parameters.
    db.$client.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40000)
      INSERT INTO works (review_id, authors, year, title, raw) SELECT 'dlmia-2024', '["Synth A"]', 2031, 'Work ' || i, 'Synth A. Work ' || i FROM n`);
    const res = await big.request("/v1/references?format=csv");
    expect(res.status).toBe(200);
    const lines = (await res.text()).trimEnd().split("\r\n");
    expect(lines).toHaveLength(1 + 53 + 40_000);
    expect(lines[1]).toMatch(/^1,dlmia-2024,1,/);
    expect(lines.find((l) => l.startsWith("8,"))).toMatch(/^8,dlmia-2024,8; 13,.*,false,1,"/);
    expect(lines.at(-1)).toMatch(/^40053,dlmia-2024,,Synth A,2031,Work 40000,/);
  }, 30_000);
});
