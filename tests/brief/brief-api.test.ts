import { beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.js";
import type { Brief } from "../../src/queries/brief.js";
import { seededApp } from "../helpers/seeded.js";

let app: App;
beforeAll(() => {
  app = seededApp().app;
});

const json = async <T>(path: string): Promise<T> => {
  const res = await app.request(path);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
};
type StudyList = { meta: { count: number }; results: { id: number; accuracy: unknown; citation: { reference_id: number | null } }[] };
type Ranked = { name: string; n: number; summary: { median: number | null } };

/** Plot draws the accuracy dots as the only circles (bars and legend swatches are rects). */
const dotsIn = (markup: string) => (markup.match(/<circle/g) ?? []).length;

describe("GET /v1/brief (JSON): composed from the query API, never disagreeing with it", () => {
  it("the whole review: key figures, trends, comparison and references match the endpoints they come from", async () => {
    const brief = await json<Brief>("/v1/brief");
    const studies = await json<StudyList>("/v1/studies?limit=500");
    expect(brief.scope).toEqual({ organ: null, metric: "accuracy", scale: "percent", title: expect.stringContaining("medical imaging") });
    expect(brief.figures.studies).toBe(studies.meta.count);
    expect(brief.figures.studies).toBe(24);
    expect(brief.studies.map((s) => s.id).sort((a, b) => a - b)).toEqual(studies.results.map((s) => s.id).sort((a, b) => a - b));
    expect(brief.figures.by_strategy.reduce((n, s) => n + s.count, 0)).toBe(24);
    expect(brief.figures.by_organ.map((o) => o.organ).sort()).toEqual(["brain", "breast", "heart", "lung"]);

    const trends = await json<{ summary: string }>("/v1/trends");
    expect(brief.trends.length).toBeGreaterThan(1);
    expect(brief.trends.join(" ")).toBe(trends.summary.replace(/\s+/g, " ").trim());

    // Every cited work counted; the 15 named are those behind the highest accuracies, in that order.
    const cited = new Set(studies.results.map((s) => s.citation.reference_id).filter((id) => id !== null));
    expect(brief.reference_count).toBe(cited.size);
    const ranked = await json<StudyList>("/v1/studies?sort=-accuracy&limit=60");
    const leading = [...new Set(ranked.results.map((s) => s.citation.reference_id).filter((id) => id !== null))].slice(0, 15);
    expect(brief.references.map((r) => r.id)).toEqual(leading);
    expect(brief.references).toHaveLength(15);
    // The export the brief links holds exactly the works its scope's studies cite.
    expect(brief.reference_export.bibtex).toBe("/v1/studies/references?format=bibtex");
    const bibtex = await (await app.request(brief.reference_export.bibtex)).text();
    const exported = new Set([...bibtex.matchAll(/^@\w+\{[^,]*_(\d+),/gm)].map((m) => Number(m[1])));
    expect([...exported].sort((a, b) => a - b)).toEqual([...cited].sort((a, b) => a! - b!));
    const ris = await (await app.request(brief.reference_export.ris)).text();
    expect(ris.match(/^TY {2}- /gm)).toHaveLength(exported.size);

    type Group = { key: Record<string, string | number | null>; count: number; summary: Record<string, number | null> };
    const stats = await json<{ groups: Group[] }>("/v1/stats?group_by=organ,strategy");
    expect(brief.spreads).toEqual(
      stats.groups.map((g) => ({
        organ: g.key.organ,
        strategy: g.key.strategy ?? "not stated",
        count: g.count,
        ...Object.fromEntries(["n", "median", "q1", "q3", "min", "max"].map((k) => [k, g.summary[k]])),
      })),
    );
    const organs = await json<{ groups: Group[] }>("/v1/stats?group_by=organ");
    expect(brief.organ_spreads).toEqual(
      organs.groups.map((g) => ({
        organ: g.key.organ,
        strategy: "all strategies",
        count: g.count,
        ...Object.fromEntries(["n", "median", "q1", "q3", "min", "max"].map((k) => [k, g.summary[k]])),
      })),
    );
    const years = await json<{ groups: Group[] }>("/v1/stats?group_by=year,strategy");
    expect(brief.per_year).toEqual(
      years.groups.filter((g) => g.key.year !== null).map((g) => ({ year: g.key.year, series: g.key.strategy ?? "not stated", count: g.count })),
    );
    expect(brief.per_year.reduce((n, y) => n + y.count, 0)).toBe(24);
  });

  it("an organ: the strategy comparison and caveats are those of /v1/recommendations", async () => {
    const brief = await json<Brief>("/v1/brief?organ=lung");
    const rec = await json<{ strategies: Ranked[]; caveats: string[] }>("/v1/recommendations?organ=lung");
    const lung = await json<StudyList>("/v1/studies?organ=lung");
    expect(brief.figures.studies).toBe(lung.meta.count);
    expect(brief.strategies.map((s) => [s.strategy, s.count, s.median])).toEqual(rec.strategies.map((r) => [r.name, r.n, r.summary.median]));
    expect(brief.caveats).toEqual(rec.caveats);
    // The 68% lung result stays visible as the minimum, not averaged away.
    expect(brief.figures.summary.min).toBe(Math.min(...brief.studies.map((s) => s.value!)));
    // Its reference export is the organ's own cited works, no more.
    expect(brief.reference_export.ris).toBe("/v1/studies/references?organ=lung&format=ris");
    const ris = await app.request(brief.reference_export.ris);
    expect(ris.headers.get("x-total-count")).toBe(String(brief.reference_count));
    const lungWorks = new Set(lung.results.map((s) => s.citation.reference_id).filter((id) => id !== null));
    expect(brief.reference_count).toBe(lungWorks.size);
    expect((await ris.text()).match(/^TY {2}- /gm)).toHaveLength(lungWorks.size);
  });

  it("kidney, named by the review but without studies: 200, no figures, and a caveat that says so", async () => {
    const brief = await json<Brief>("/v1/brief?organ=kidney");
    expect(brief.figures.studies).toBe(0);
    expect(brief.studies).toEqual([]);
    expect(brief.references).toEqual([]);
    expect(brief.reference_count).toBe(0);
    expect(brief.per_year).toEqual([]);
    expect(brief.spreads).toEqual([]);
    expect(brief.caveats.join(" ")).toMatch(/kidney/);
  });
});

describe("GET /v1/brief?format=markdown|html", () => {
  it("Markdown: headings, the trend sentences, the two charts as SVG images with one dot per study, APA references", async () => {
    const res = await app.request("/v1/brief?organ=lung&format=markdown");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/markdown/);
    const md = await res.text();
    const brief = await json<Brief>("/v1/brief?organ=lung");
    expect(md).toMatch(/^# Transfer learning for lung imaging/);
    for (const t of brief.trends) expect(md).toContain(t);
    const images = [...md.matchAll(/!\[[^\]]*\]\(data:image\/svg\+xml;base64,([^)]+)\)/g)].map((m) => Buffer.from(m[1]!, "base64").toString());
    expect(images).toHaveLength(2);
    expect(images.every((svg) => svg.startsWith("<svg") && svg.includes('xmlns="http://www.w3.org/2000/svg"'))).toBe(true);
    expect(dotsIn(images[1]!)).toBe(brief.studies.filter((s) => s.value !== null).length);
    const refs = md.slice(md.indexOf("## References")).split("\n").filter((l) => l.startsWith("- "));
    expect(refs).toHaveLength(brief.references.length);
  });

  it("HTML: a standalone printable page with both charts inline (24 dots for the whole review) and print CSS", async () => {
    const res = await app.request("/v1/brief?format=html");
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain("@media print");
    expect(html).toContain("@page");
    expect(dotsIn(html)).toBe(24);
    expect(html.match(/<g aria-label="bar"[^>]*>[\s\S]*?<\/g>/)?.[0].match(/<rect/g)).toHaveLength(24);
    expect(html).not.toContain('class="toolbar"');
    // 15 works named, the other cited ones counted, with the export of all of them.
    expect(html.match(/<ul class="refs">([\s\S]*?)<\/ul>/)?.[1]?.match(/<li>/g)).toHaveLength(15);
    const brief = await json<Brief>("/v1/brief");
    expect(html).toContain(`${brief.reference_count - 15} more are cited in this scope`);
    expect(html).toContain('<a href="/v1/studies/references?format=bibtex">BibTeX</a>');
  });

  it("text from the data is escaped in HTML", async () => {
    const html = await (await app.request("/brief?organ=%3Cscript%3Ealert(1)%3C%2Fscript%3E")).text();
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });
});

describe("GET /brief (the page)", () => {
  it("has an organ chooser listing the organs with studies, the chosen one selected, and a print button", async () => {
    const res = await app.request("/brief?organ=heart");
    expect(res.status).toBe(200);
    const html = await res.text();
    const options = [...html.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]);
    expect(options).toEqual(["", "brain", "breast", "heart", "lung"]);
    expect(html).toContain('<option value="heart" selected>');
    expect(html).toContain('<button type="button" class="primary" data-print>');
    expect(html).toContain('<script src="/assets/brief.js" defer></script>');
  });
});

describe("brief errors are problem+json 400s", () => {
  it.each([
    ["/v1/brief?format=pdf", "format"],
    ["/v1/brief?organs=lung", "organs"],
    [`/v1/brief?organ=${"x".repeat(101)}`, "organ"],
    ["/v1/brief?organ=", "organ"],
    ["/brief?format=html", "format"],
  ])("%s", async (path, parameter) => {
    const res = await app.request(path);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(((await res.json()) as { parameter?: string }).parameter).toBe(parameter);
  });
});
