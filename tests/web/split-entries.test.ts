import { beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.js";
import { splitEntries } from "../../src/web/client/downloads.js";
import { seededApp } from "../helpers/seeded.js";

let app: App;
beforeAll(() => {
  app = seededApp().app;
});

/**
 * The dashboard's reference downloads keep, from the API's export of every cited work, the
 * entries of the works in view; that only works if every exported entry is found with its work id.
 */
describe("splitEntries over the API's own exports", () => {
  it.each(["bibtex", "ris"] as const)("%s: one entry per cited work, each with its work id", async (format) => {
    const cited = (await (await app.request("/v1/references?cited=true&limit=500")).json()) as { results: { id: number }[] };
    const text = await (await app.request(`/v1/references?cited=true&format=${format}`)).text();
    const entries = splitEntries(text, format);
    expect(entries.map((e) => e.workId).sort((a, b) => a - b)).toEqual(cited.results.map((r) => r.id).sort((a, b) => a - b));
    // Nothing is lost between entries: re-joined, they hold every line of the export.
    const lines = (s: string) => s.split("\n").map((l) => l.trim()).filter(Boolean);
    expect(lines(entries.map((e) => e.text).join("\n"))).toEqual(lines(text));
    if (format === "ris") expect(entries.every((e) => /^TY {2}- /.test(e.text) && /ER {2}- ?$/.test(e.text))).toBe(true);
    else expect(entries.every((e) => e.text.startsWith("@") && e.text.endsWith("}"))).toBe(true);
  });
});
