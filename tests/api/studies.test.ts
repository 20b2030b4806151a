import { beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.js";
import { iterateStudies } from "../../src/queries/studies.js";
import { seededApp, seededDb } from "../helpers/seeded.js";
import { countBy, tsvStudies, type TsvStudy } from "./expected.js";

type Study = {
  id: number;
  organ: string;
  year: number;
  strategy: string;
  backbones: string[];
  accuracy: { value: number; low: number; high: number; text: string } | null;
  source: { table: string; row: number };
};
type Page = { meta: { count: number; limit: number; next_cursor: string | null; provenance: { id: string; citation: string }[] }; results: Study[] };

let app: App;
const tsv = tsvStudies();
beforeAll(() => {
  app = seededApp().app;
});

async function page(query: string): Promise<Page> {
  const res = await app.request(`/v1/studies?${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Page;
}

/** Every study for a query, walking the cursor; also checks each page's size. */
async function walk(query: string, limit: number) {
  const pages: Page[] = [];
  let cursor: string | null = null;
  do {
    const p: Page = await page(`${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    pages.push(p);
    cursor = p.meta.next_cursor;
  } while (cursor !== null && pages.length < 100);
  return pages;
}

const sourceKey = (s: { source: { table: string; row: number } }) => `${s.source.table}#${s.source.row}`;
const expectSameStudies = (results: Study[], expected: TsvStudy[]) =>
  expect(results.map(sourceKey).sort()).toEqual(expected.map(sourceKey).sort());

describe("GET /v1/studies filters", () => {
  it("returns all 24 studies by default, in id order, naming the source review", async () => {
    const p = await page("");
    expect(p.meta.count).toBe(24);
    expect(p.meta.limit).toBe(50);
    expect(p.meta.next_cursor).toBeNull();
    expect(p.results.map((s) => s.id)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect(p.meta.provenance.map((r) => r.id)).toEqual(["dlmia-2024"]);
    expect(p.meta.provenance[0]!.citation).toMatch(/^Ibrahim MA, Askar S, Saleem MA, Qadir DA \(2024\)/);
  });

  it.each(["brain", "heart", "breast", "lung"])("organ=%s matches the TSV rows for that organ", async (organ) => {
    const p = await page(`organ=${organ}`);
    const expected = tsv.filter((s) => s.organ === organ);
    expect(p.meta.count).toBe(expected.length);
    expectSameStudies(p.results, expected);
  });

  it("counts 8 brain, 6 heart, 6 breast, 4 lung and 0 kidney", async () => {
    expect(countBy(tsv, (s) => s.organ)).toEqual({ brain: 8, heart: 6, breast: 6, lung: 4 });
    expect((await page("organ=kidney")).meta.count).toBe(0);
  });

  it.each(["fine-tuning", "feature-extraction", "combined"])("strategy=%s", async (strategy) => {
    const p = await page(`strategy=${strategy}`);
    expectSameStudies(p.results, tsv.filter((s) => s.strategy === strategy));
  });

  it("backbone=VGG-16 finds the 4 studies naming it, including the one naming two backbones", async () => {
    const p = await page("backbone=VGG-16");
    expect(p.meta.count).toBe(4);
    expectSameStudies(p.results, tsv.filter((s) => s.backbones.includes("VGG-16")));
    expect(p.results.find((s) => s.source.table === "Table 4" && s.source.row === 3)!.backbones).toEqual(["VGG-16", "VGG-19"]);
  });

  it("condition is a case-insensitive substring", async () => {
    const p = await page("condition=TUMOR");
    const expected = tsv.filter((s) => s.condition.toLowerCase().includes("tumor"));
    expect(expected.length).toBe(5);
    expectSameStudies(p.results, expected);
    // % and _ are literal, not LIKE wildcards.
    expect((await page("condition=%25")).meta.count).toBe(0);
    expect((await page("condition=_")).meta.count).toBe(0);
  });

  it("modality=MRI finds the 3 studies whose linked title names MR imaging (hand-checked: Table 1 rows 2 and 6, Table 3 row 6)", async () => {
    const p = await page("modality=MRI");
    expect(p.results.map(sourceKey)).toEqual(["Table 1#2", "Table 1#6", "Table 3#6"]);
  });

  it("year_from and year_to are inclusive", async () => {
    const p = await page("year_from=2018&year_to=2019");
    expectSameStudies(p.results, tsv.filter((s) => s.year >= 2018 && s.year <= 2019));
    expect(p.meta.count).toBe(14);
    expect((await page("year_from=2020")).meta.count).toBe(3);
    expect((await page("year_from=2020&year_to=2015")).meta.count).toBe(0);
  });

  it("accuracy bounds are inclusive and a range counts by its midpoint", async () => {
    const p = await page("accuracy_min=95&accuracy_max=97");
    expectSameStudies(p.results, tsv.filter((s) => s.accuracy >= 95 && s.accuracy <= 97));
    // 96.085 is the midpoint of 95.5-96.67: inside [96, 96.1], outside [96.1, 100] at the low end.
    expect((await page("accuracy_min=96&accuracy_max=96.1")).results.map(sourceKey)).toEqual(["Table 3#3"]);
    expect((await page("accuracy_min=99.8")).meta.count).toBe(tsv.filter((s) => s.accuracy >= 99.8).length);
  });

  it("combines filters with AND", async () => {
    const p = await page("organ=brain&strategy=fine-tuning&year_from=2019");
    expectSameStudies(p.results, tsv.filter((s) => s.organ === "brain" && s.strategy === "fine-tuning" && s.year >= 2019));
    expect(p.meta.count).toBe(2);
  });
});

describe("GET /v1/studies full-text q", () => {
  it("finds a word of a linked work's title", async () => {
    expect((await page("q=mammographic")).results.map(sourceKey)).toEqual(["Table 3#1"]);
  });

  it("finds the condition and matches words as prefixes", async () => {
    expect((await page("q=glioblastoma")).results.map(sourceKey)).toEqual(["Table 1#4"]);
    expect((await page("q=gliobl")).results.map(sourceKey)).toEqual(["Table 1#4"]);
  });

  it("finds the method text: 'fine tuning' matches the 10 fine-tuning studies and the combined one", async () => {
    const p = await page("q=fine%20tuning");
    expectSameStudies(p.results, tsv.filter((s) => s.strategy !== "feature-extraction"));
  });

  it("finds a linked work's author", async () => {
    expect((await page("q=Huynh")).results.map(sourceKey)).toEqual(["Table 3#1"]);
  });

  it("treats FTS5 syntax as plain words, and no word as no match", async () => {
    const plain = (await page("q=brain")).meta.count;
    expect(plain).toBeGreaterThan(0);
    expect((await page(`q=${encodeURIComponent('"brain*: )')}`)).meta.count).toBe(plain);
    expect((await page("q=!!!")).meta.count).toBe(0);
  });

  it("combines with the other filters", async () => {
    expect((await page("q=tumor&organ=breast")).results.map(sourceKey)).toEqual(["Table 3#1"]);
  });
});

describe("GET /v1/studies sort and cursor", () => {
  const byAccuracy = [...tsv].sort((a, b) => a.accuracy - b.accuracy);

  it.each([
    ["year", "Table 1#1"],
    ["accuracy", sourceKey(byAccuracy[0]!)],
    ["-accuracy", sourceKey(byAccuracy.at(-1)!)],
    ["organ", "Table 1#1"],
    ["-organ", "Table 4#4"],
    // 2020 has three studies; descending ties go by id descending: the last loaded, heart's.
    ["-year", "Table 2#6"],
  ])("sort=%s puts %s first", async (sort, first) => {
    expect(sourceKey((await page(`sort=${sort}`)).results[0]!)).toBe(first);
  });

  it("sort=-accuracy starts at 99.83 and ends at 68", async () => {
    const values = (await page("sort=-accuracy")).results.map((s) => s.accuracy!.value);
    expect(values[0]).toBe(99.83);
    expect(values.at(-1)).toBe(68);
    expect(values).toEqual([...values].sort((a, b) => b - a));
  });

  it.each(["id", "year", "-year", "accuracy", "-accuracy", "organ", "-organ"])(
    "walks sort=%s in pages of 5: 5,5,5,5,4, the same order as one page, null cursor at the end",
    async (sort) => {
      const pages = await walk(`sort=${sort}`, 5);
      expect(pages.map((p) => p.results.length)).toEqual([5, 5, 5, 5, 4]);
      expect(pages.every((p) => p.meta.count === 24 && p.meta.limit === 5)).toBe(true);
      expect(pages.at(-1)!.meta.next_cursor).toBeNull();
      const walked = pages.flatMap((p) => p.results.map((s) => s.id));
      expect(walked).toEqual((await page(`sort=${sort}&limit=500`)).results.map((s) => s.id));
      expect(new Set(walked).size).toBe(24);
    },
  );

  it("walks a filtered set: brain by year in pages of 3 gives 3,3,2", async () => {
    const pages = await walk("organ=brain&sort=year", 3);
    expect(pages.map((p) => p.results.length)).toEqual([3, 3, 2]);
    expect(pages.flatMap((p) => p.results.map((s) => s.year))).toEqual(tsv.filter((s) => s.organ === "brain").map((s) => s.year).sort());
  });

  it("an exact page boundary ends with a null cursor, not an empty page", async () => {
    const pages = await walk("organ=heart", 3);
    expect(pages.map((p) => p.results.length)).toEqual([3, 3]);
  });

  it("rejects a cursor made for another sort, and one it did not issue", async () => {
    const first = await page("sort=year&limit=5");
    const res = await app.request(`/v1/studies?sort=accuracy&limit=5&cursor=${first.meta.next_cursor}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { parameter: string }).parameter).toBe("cursor");
    for (const bad of ["zzz", "e30", Buffer.from('["year","x",1.5]').toString("base64url")]) {
      expect((await app.request(`/v1/studies?sort=year&cursor=${bad}`)).status).toBe(400);
    }
  });

  it("limit must be 1 to 500", async () => {
    expect((await page("limit=500")).results).toHaveLength(24);
    for (const bad of ["0", "501", "-1", "2.5", "abc", ""]) {
      expect((await app.request(`/v1/studies?limit=${bad}`)).status, bad).toBe(400);
    }
  });
});

describe("GET /v1/studies/{id}", () => {
  it("returns the range study with both ends, the printed text and its linked work", async () => {
    const list = await page("accuracy_min=96&accuracy_max=96.1");
    const id = list.results[0]!.id;
    const res = await app.request(`/v1/studies/${id}`);
    expect(res.status).toBe(200);
    const { result } = (await res.json()) as { result: Study & { review: string; work: { title: string; year: number } } };
    expect(result.accuracy).toEqual({ value: 96.085, low: 95.5, high: 96.67, text: "95.5% to 96.67% depending on methods", scale: "percent" });
    expect(result.review).toBe("dlmia-2024");
    expect(result.work.title).toBe("Deep convolutional neural networks for breast cancer screening");
    expect(result.work.year).toBe(2018);
  });

  it("says which citation links are uncertain, with the reason (Table 1 rows 3 and 7)", async () => {
    const all = await page("limit=500");
    const uncertain = all.results.filter((s) => (s as Study & { citation: { status: string } }).citation.status === "uncertain");
    expect(uncertain.map((s) => `${s.source.table}/${s.source.row}`).sort()).toEqual(["Table 1/3", "Table 1/7"]);
    const res = await app.request(`/v1/studies/${uncertain[1]!.id}`);
    const { result } = (await res.json()) as { result: { citation: { status: string; confidence: string; reason: string } } };
    expect(result.citation).toMatchObject({ status: "uncertain", confidence: "low" });
    expect(result.citation.reason).toMatch(/accelerated MRI reconstruction/);
  });

  it("answers 404 problem+json for a missing id and 400 for a malformed one", async () => {
    const missing = await app.request("/v1/studies/9999");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toBe("application/problem+json");
    expect((await app.request("/v1/studies/abc")).status).toBe(400);
    expect((await app.request("/v1/studies/0")).status).toBe(400);
    expect((await app.request("/v1/studies/99999999999999999999999")).status).toBe(400);
  });
});

describe("GET /v1/studies?format=csv", () => {
  const parse = (csv: string) => csv.trimEnd().split("\r\n");

  it("downloads every matching study as one CSV row, with a header", async () => {
    const res = await app.request("/v1/studies?format=csv");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="studies.csv"');
    const lines = parse(await res.text());
    expect(lines[0]).toBe(
      "id,organ,condition,strategy,backbones,year,modality,accuracy,accuracy_low,accuracy_high,accuracy_text,method_text,citation_printed,reference_id,source_table,source_row",
    );
    expect(lines).toHaveLength(25);
    expect(lines.find((l) => l.startsWith("23,"))).toContain(",VGG-16; VGG-19,");
    expect(res.headers.get("x-total-count")).toBe("24");
  });

  it("streams the whole export in keyset batches, in the sort asked for, whatever the JSON page size", async () => {
    const res = await app.request("/v1/studies?format=csv&sort=-accuracy&organ=brain");
    const ids = parse(await res.text()).slice(1).map((l) => Number(l.split(",")[0]));
    expect(ids).toEqual((await page("sort=-accuracy&organ=brain")).results.map((s) => s.id));
    expect(ids).toHaveLength(8);
  });

  it("an export with nothing to list is the header alone", async () => {
    const res = await app.request("/v1/studies?format=csv&organ=kidney");
    expect(res.status).toBe(200);
    expect(parse(await res.text())).toHaveLength(1);
    expect(res.headers.get("x-total-count")).toBe("0");
  });

  it("honours filters and paging, and says where the next page starts", async () => {
    const res = await app.request("/v1/studies?format=csv&organ=lung&limit=3");
    expect(parse(await res.text())).toHaveLength(4);
    expect(res.headers.get("x-total-count")).toBe("4");
    expect(res.headers.get("x-next-cursor")).toBeTruthy();
  });
});

describe("iterateStudies (the export's reader)", () => {
  it("yields keyset batches that add up to the whole ordered set", async () => {
    const batches = [...iterateStudies(seededDb(), { filters: {}, sort: "year", batch: 5 })];
    expect(batches.map((b) => b.length)).toEqual([5, 5, 5, 5, 4]);
    expect(batches.flat().map((s) => s.id)).toEqual((await page("sort=year&limit=500")).results.map((s) => s.id));
  });
});
