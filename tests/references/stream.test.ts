import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app.js";
import type { CslItem } from "../../src/api/csl.js";
import { formatCitations } from "../../src/api/export-citations.js";
import { referencesCsv } from "../../src/api/references.js";
import { allReferences } from "../../src/queries/references.js";
import { openDb, type Db } from "../../src/db/client.js";
import { synthesize } from "../../src/synth/write.js";
import { leaveDownload, listen, readDownload } from "../helpers/download.js";

// A synthetic corpus of some thousands of works: many batches of every download (500 works for
// CSV and CSL-JSON, 100 for BibTeX and RIS), read from a real file through the export's own snapshot.
let dir: string;
let db: Db;
let app: ReturnType<typeof createApp>;
const sql = <T>(query: string) => db.$client.prepare(query).pluck().all() as T[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "litreview-refstream-"));
  synthesize({ studies: 6000, out: join(dir, "corpus.db"), seed: 11 });
  db = openDb(join(dir, "corpus.db"));
  app = createApp({ db });
}, 60_000);
afterAll(() => {
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("a reference download of a synthetic corpus is complete and exact", () => {
  it("holds every work once, in id order, in each format; X-Total-Count agrees", async () => {
    const ids = sql<number>("select id from works order by id");
    expect(ids.length).toBeGreaterThan(3000);
    const get = async (format: string) => {
      const res = await app.request(`/v1/references?format=${format}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("x-total-count")).toBe(String(ids.length));
      return res.text();
    };
    const csv = (await get("csv")).split("\r\n").slice(1, -1);
    // Synthetic raw entries hold no line break, so each row is one line.
    expect(csv.map((line) => Number(line.split(",")[0]))).toEqual(ids);
    const items = JSON.parse(await get("csl-json")) as CslItem[];
    expect(items.map((i) => i.id)).toEqual(ids.map((id) => `work-${id}`));
    const bibtex = await get("bibtex");
    expect([...bibtex.matchAll(/^@\w+\{[^,]*_(\d+),$/gm)].map((m) => Number(m[1]))).toEqual(ids);
    expect(bibtex.endsWith("}\n\n")).toBe(true);
    const ris = await get("ris");
    expect(ris.match(/^TY {2}- /gm)).toHaveLength(ids.length);
    expect(ris.match(/^ER {2}- $/gm)).toHaveLength(ids.length);
  }, 60_000);

  it("is byte for byte what formatting every work at once gives, across batch boundaries", async () => {
    const refs = allReferences(db, {});
    expect(await (await app.request("/v1/references?format=csv")).text()).toBe(referencesCsv(refs));
    for (const format of ["bibtex", "ris", "csl-json"] as const) {
      expect(await (await app.request(`/v1/references?format=${format}`)).text(), format).toBe(formatCitations(refs, format));
    }
    // And with nothing to export.
    for (const format of ["bibtex", "ris", "csl-json"] as const) {
      expect(await (await app.request(`/v1/references?format=${format}&year=1001`)).text(), format).toBe(formatCitations([], format));
    }
  }, 60_000);

  it("a filtered download holds exactly the matching works", async () => {
    const year = sql<number>("select year from works where year is not null group by year order by count(*) desc limit 1")[0]!;
    const ids = sql<number>(`select id from works where year = ${year} and exists (select 1 from citation_links l where l.work_id = works.id) order by id`);
    expect(ids.length).toBeGreaterThan(100);
    const res = await app.request(`/v1/references?format=csl-json&cited=true&year=${year}`);
    expect(res.headers.get("x-total-count")).toBe(String(ids.length));
    expect(((await res.json()) as CslItem[]).map((i) => i.id)).toEqual(ids.map((id) => `work-${id}`));
  });
});

describe("a reference download that fails midway", () => {
  it("resets the connection after the rows already sent, never ends cleanly", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const ids = sql<number>("select id from works order by id");
    // A damaged row in the fourth batch: its authors are not JSON, so reading that batch throws.
    const bad = ids[1600]!;
    const authors = db.$client.prepare("select authors from works where id = ?").pluck().get(bad);
    db.$client.prepare("update works set authors = '{not json' where id = ?").run(bad);
    const { port, close } = await listen(createApp({ db }).fetch);
    try {
      for (const format of ["csv", "bibtex"]) {
        const outcome = await readDownload(port, `/v1/references?format=${format}`);
        expect(outcome.how, format).toMatch(/^(error ECONNRESET|aborted|incomplete)$/);
        expect(outcome.body, format).not.toContain("SyntaxError");
        expect(outcome.body, format).not.toContain(`_${bad},`);
      }
      // The server is still serving.
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    } finally {
      await close();
      db.$client.prepare("update works set authors = ? where id = ?").run(authors, bad);
      logged.mockRestore();
    }
  });
});

describe("a download the client leaves midway", () => {
  it("stops quietly over a real socket: no error logged, the server serves on", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const { port, close } = await listen(createApp({ db }).fetch);
    try {
      for (const format of ["csv", "bibtex", "ris", "csl-json"]) {
        // Leave after the first piece: the stream's next pull is then waiting for its turn, and
        // used to close the cancelled stream (ERR_INVALID_STATE, logged as a failed download).
        await leaveDownload(port, `/v1/references?format=${format}`);
      }
      expect(logged).not.toHaveBeenCalled();
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    } finally {
      await close();
      logged.mockRestore();
    }
  });
});
