import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.js";
import { DEFAULT_DATA_DIR } from "../../src/config.js";
import type { Reference } from "../../src/queries/references.js";
import { seededApp } from "../helpers/seeded.js";

type Page = { meta: { count: number; limit: number; next_cursor: string | null; provenance: { id: string }[] }; results: Reference[] };

let app: App;
beforeAll(() => {
  app = seededApp().app;
});

async function page(query: string): Promise<Page> {
  const res = await app.request(`/v1/references${query}`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  return (await res.json()) as Page;
}

async function problem(url: string, status: number) {
  const res = await app.request(url);
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  return (await res.json()) as { status: number; detail: string; parameter?: string };
}

async function walk(query: string, limit: number): Promise<{ pages: number; ids: number[] }> {
  const ids: number[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = query ? "&" : "?";
    const p: Page = await page(`${query}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
    pages += 1;
    ids.push(...p.results.map((r) => r.id));
    cursor = p.meta.next_cursor;
  } while (cursor !== null && pages < 100);
  return { pages, ids };
}

/**
 * The works a study links to, counted from the curated links file rather than the database.
 * A link names the printed number it resolves to (or, for the unnumbered entry, its position).
 * Six works are printed twice; a link reaching a work by its second number must count once, so
 * each second number is mapped to the first (pairs read off the printed reference list).
 */
function citedWorksFromData(): number {
  const secondPrinting: Record<string, string> = { "13": "8", "14": "10", "16": "11", "17": "12", "52": "21", "57": "30" };
  const lines = readFileSync(join(DEFAULT_DATA_DIR, "dlmia-2024", "citation_links.tsv"), "utf8").trim().split("\n");
  const header = lines[0]!.split("\t");
  const num = header.indexOf("reference_number");
  const pos = header.indexOf("reference_position");
  const keys = lines.slice(1).map((line) => {
    const cells = line.split("\t");
    const n = cells[num] ?? "";
    return n ? `n${secondPrinting[n] ?? n}` : `p${cells[pos]}`;
  });
  return new Set(keys).size;
}

describe("GET /v1/references", () => {
  it("lists all 53 works, 50 on the first page by default, with the review's provenance", async () => {
    const p = await page("");
    expect(p.meta.count).toBe(53);
    expect(p.meta.limit).toBe(50);
    expect(p.results).toHaveLength(50);
    expect(p.meta.next_cursor).not.toBeNull();
    expect(p.meta.provenance.map((r) => r.id)).toEqual(["dlmia-2024"]);
    expect(p.results[0]?.id).toBe(1);
  });

  it("walks every page of a cursor: 6 pages of 10, each work once, in list order", async () => {
    const { pages, ids } = await walk("", 10);
    expect(pages).toBe(6);
    expect(ids).toHaveLength(53);
    expect(new Set(ids).size).toBe(53);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it("keeps the filter across pages", async () => {
    const { pages, ids } = await walk("?cited=true", 5);
    expect(pages).toBe(5);
    expect(ids).toHaveLength(citedWorksFromData());
  });

  it("cited=true gives exactly the works the studies link to; cited=false the rest", async () => {
    const cited = await page("?cited=true&limit=500");
    const expected = citedWorksFromData();
    expect(expected).toBe(24); // hand-checked: every study links a different work
    expect(cited.meta.count).toBe(expected);
    expect(cited.results.every((r) => r.study_ids.length > 0)).toBe(true);
    // Every one of the 24 studies is cited by exactly one work.
    const studyIds = cited.results.flatMap((r) => r.study_ids).sort((a, b) => a - b);
    expect(studyIds).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));

    const uncited = await page("?cited=false&limit=500");
    expect(uncited.meta.count).toBe(53 - expected);
    expect(uncited.results.every((r) => r.study_ids.length === 0)).toBe(true);
  });

  it("shows both numbers of a work printed twice (Cruz-Roa 2015: [8] and [13])", async () => {
    const p = await page("?q=medulloblastoma");
    expect(p.meta.count).toBe(1);
    const work = p.results[0]!;
    expect(work.authors[0]).toBe("Cruz-Roa A");
    expect(work.year).toBe(2015);
    expect(work.printed_numbers).toEqual([8, 13]);
    expect(work.study_ids).toEqual([1]);
    expect(work.type).toBe("paper-conference");
  });

  it("has six works printed twice and 59 printed entries in all", async () => {
    const all = (await page("?limit=500")).results;
    expect(all.filter((r) => r.printed_numbers.length === 2)).toHaveLength(6);
    expect(all.reduce((n, r) => n + r.printed_numbers.length, 0)).toBe(59);
    expect(all.flatMap((r) => r.printed_numbers).filter((n) => n === null)).toHaveLength(1);
  });

  it("gives the unnumbered Shi 2019 entry a null number and keeps its et al.", async () => {
    const p = await page("?q=false%20positive%20reduction");
    expect(p.meta.count).toBe(1);
    const shi = p.results[0]!;
    expect(shi.printed_numbers).toEqual([null]);
    expect(shi.authors).toEqual(["Shi Z"]);
    expect(shi.authors_truncated).toBe(true);
    expect(shi.year).toBe(2019);
    expect(shi.study_ids).toHaveLength(1);
  });

  it("filters by year: 2015 has 6 printed entries, two of them second printings, so 4 works", async () => {
    const p = await page("?year=2015");
    expect(p.meta.count).toBe(4);
    expect(p.results.every((r) => r.year === 2015)).toBe(true);
  });

  it("searches title, authors and venue, ignoring case", async () => {
    // Ten entries name Shavan Askar, one of the review's authors (its self-citations).
    expect((await page("?q=ASKAR")).meta.count).toBe(10);
    expect((await page("?q=askar")).meta.count).toBe(10);
    // Venue: the two fog-computing papers in IEEE Access.
    const venue = await page("?q=ieee%20ACCESS");
    expect(venue.results.map((r) => r.venue)).toEqual(["IEEE Access", "IEEE Access"]);
    // Title: 21 printed entries say "transfer learning"; three are second printings.
    const tl = await page("?q=Transfer%20Learning&limit=500");
    expect(tl.meta.count).toBe(18);
  });

  it("combines filters", async () => {
    const p = await page("?q=transfer%20learning&year=2019&cited=true&review=dlmia-2024");
    expect(p.results.every((r) => r.year === 2019 && r.study_ids.length > 0)).toBe(true);
    expect(p.meta.count).toBe(p.results.length);
    expect(p.meta.count).toBeGreaterThan(0);
  });

  it("treats LIKE wildcards and SQL in q as plain text", async () => {
    expect((await page("?q=_")).meta.count).toBe(0);
    expect((await page("?q=%25")).meta.count).toBe(0);
    expect((await page(`?q=${encodeURIComponent("' OR 1=1 --")}`)).meta.count).toBe(0);
    // The authors column is stored as JSON; its brackets, quotes and commas are not searchable text.
    expect((await page(`?q=${encodeURIComponent('","')}`)).meta.count).toBe(0);
    expect((await page("?q=%5B")).meta.count).toBe(0);
    expect((await page("?q=et%20al")).meta.count).toBe(0);
  });
});

describe("GET /v1/references errors", () => {
  it.each([
    ["?year=abc", "year"],
    ["?year=99999", "year"],
    ["?cited=yes", "cited"],
    ["?limit=0", "limit"],
    ["?limit=501", "limit"],
    ["?cursor=not-a-cursor", "cursor"],
    ["?review=nope", "review"],
    ["?format=xml", "format"],
    ["?yaer=2019", "yaer"],
    ["?year=2019&year=2020", "year"],
  ])("%s is a 400 naming %s", async (query, parameter) => {
    const p = await problem(`/v1/references${query}`, 400);
    expect(p.status).toBe(400);
    expect(p.parameter).toBe(parameter);
  });
});

describe("GET /v1/references/{id}", () => {
  it("answers one work with its numbers and studies", async () => {
    const res = await app.request("/v1/references/8");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { meta: { provenance: { id: string }[] }; result: Reference };
    expect(body.result.printed_numbers).toEqual([8, 13]);
    expect(body.result.title).toMatch(/^A method for medulloblastoma/);
    expect(body.meta.provenance[0]?.id).toBe("dlmia-2024");
  });

  it("404s a missing id and 400s a malformed one", async () => {
    expect((await problem("/v1/references/54", 404)).parameter).toBe("id");
    expect((await problem("/v1/references/abc", 400)).parameter).toBe("id");
    expect((await problem("/v1/references/0", 400)).parameter).toBe("id");
    expect((await problem("/v1/references/8?x=1", 400)).parameter).toBe("x");
  });
});
