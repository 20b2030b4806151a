import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import Database from "better-sqlite3";

/**
 * Datasette beside litreview (issue 12): the same rows as one flat table, as a Datasette user
 * would publish them, with indexes on organ, strategy, year and (organ, strategy) and FTS5 over
 * the same text with the same tokenizer.
 */

/** How to run Datasette here, or why it cannot run. */
export type Python = { ok: true; python: string; env: NodeJS.ProcessEnv; version: string } | { ok: false; why: string };

/**
 * Datasette importable by `python` (PYTHON, default python3), with DATASETTE_SRC (a source
 * checkout, or a folder of pure-Python modules) put first on PYTHONPATH when given.
 */
export function findDatasette(env: NodeJS.ProcessEnv = process.env): Python {
  const python = env.PYTHON || "python3";
  const pyEnv = { ...process.env, ...(env.DATASETTE_SRC ? { PYTHONPATH: [env.DATASETTE_SRC, process.env.PYTHONPATH].filter(Boolean).join(":") } : {}) };
  const probe = spawnSync(python, ["-c", "import datasette.app; from datasette.version import __version__; print(__version__)"], { env: pyEnv, encoding: "utf8" });
  if (probe.error) return { ok: false, why: `${python} could not be run (${probe.error.message})` };
  if (probe.status !== 0) return { ok: false, why: `${python} cannot import datasette: ${probe.stderr.trim().split("\n").at(-1)}` };
  return { ok: true, python, env: pyEnv, version: probe.stdout.trim() };
}

/** Changes whenever flatCopy writes something else, so a copy an older version wrote is not reused. */
export const FLAT_LAYOUT = 2;

/** Writes the flat copy of a corpus for Datasette (once per corpus file and FLAT_LAYOUT). */
export function flatCopy(corpus: string, out: string): string {
  if (existsSync(out) && complete(out)) return out;
  // One temporary file per process: two runs started together once wrote into the same one and
  // left a copy without its full-text table, which Datasette then answered searches from.
  const tmp = `${out}.${process.pid}.tmp`;
  rmSync(tmp, { force: true });
  const db = new Database(tmp);
  try {
    db.exec(`ATTACH DATABASE '${corpus.replaceAll("'", "''")}' AS src`);
    db.exec(`
      CREATE TABLE studies (id INTEGER PRIMARY KEY, organ TEXT, condition TEXT, strategy TEXT, year INTEGER, modality TEXT,
        method_text TEXT, accuracy REAL, accuracy_text TEXT, backbones TEXT, citation TEXT, title TEXT, authors TEXT);
      INSERT INTO studies
      SELECT s.id, s.organ, s.condition, s.strategy, s.year, s.modality, s.method_text, a.value, a.text,
             (SELECT group_concat(backbone, '; ') FROM src.study_backbones b WHERE b.study_id = s.id),
             c.printed, w.title, w.authors
      FROM src.studies s
      LEFT JOIN src.study_results a ON a.study_id = s.id AND a.metric = 'accuracy'
      LEFT JOIN src.citation_links c ON c.study_id = s.id
      LEFT JOIN src.works w ON w.id = c.work_id;
      CREATE INDEX studies_organ ON studies (organ);
      CREATE INDEX studies_strategy ON studies (strategy);
      CREATE INDEX studies_year ON studies (year);
      CREATE INDEX studies_organ_strategy ON studies (organ, strategy);
      CREATE INDEX studies_accuracy ON studies (accuracy);
      -- The same text and tokenizer as litreview's index (migrations/0001_fts.sql), rowid = id.
      -- Written content="studies", exactly: Datasette finds a table's full-text index by that text
      -- (utils.detect_fts_sql), and ignores _search on a table it finds none for. Spelt
      -- content = 'studies' (as before FLAT_LAYOUT 2) it answered every search with the whole table.
      CREATE VIRTUAL TABLE studies_fts USING fts5(condition, method_text, title, authors, content="studies", content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2');
      INSERT INTO studies_fts (rowid, condition, method_text, title, authors) SELECT study_id, condition, method, title, authors FROM src.studies_fts_source;
    `);
  } finally {
    db.close();
  }
  rmSync(out, { force: true });
  spawnSync("mv", [tmp, out]);
  return out;
}

/** Whether a flat copy was written to the end: its full-text table, made last, is there. */
function complete(file: string): boolean {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'studies_fts'").pluck().get() === 1;
  } finally {
    db.close();
  }
}

export type Peer = { url: string; child: ChildProcess; firstAnswerMs: number };

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const address = s.address();
      s.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });

/** `datasette serve -i` (immutable: no change checks) on loopback, timed from spawn to its first answer. */
export async function startDatasette(py: Extract<Python, { ok: true }>, file: string, firstPath: string): Promise<Peer> {
  const port = await freePort();
  const started = performance.now();
  // Its time limits raised: by default a facet gives up after 200 ms (and a query after 1 s) and
  // answers without it, which is not the same answer; timed, it must do the whole work as we do.
  const settings = ["--setting", "default_page_size", "50", "--setting", "facet_time_limit_ms", "60000", "--setting", "sql_time_limit_ms", "60000"];
  const child = spawn(py.python, ["-m", "datasette", "serve", "-i", file, "--host", "127.0.0.1", "--port", String(port), ...settings], {
    env: py.env,
    // Not piped: its access log would fill an unread pipe and stall it.
    stdio: ["ignore", "ignore", "ignore"],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`datasette exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}${firstPath}`);
      await res.text();
      if (res.ok) return { url, child, firstAnswerMs: performance.now() - started };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  child.kill();
  throw new Error("datasette did not answer within 6 s");
}

/**
 * Stops Datasette and waits for it to exit: one still shutting down (or still answering a queue
 * of a load's requests) took the CPU from litreview's next start (1.0–2.3 s against ~0.46 s alone).
 */
export function stopDatasette(d: { child: ChildProcess }): Promise<void> {
  if (d.child.exitCode !== null || d.child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    d.child.once("exit", () => resolve());
    d.child.kill();
  });
}

/** The flat table's path under Datasette (its database name is the file's name). */
export const tablePath = (file: string) => `/${file.split("/").at(-1)!.replace(/\.db$/, "")}/studies.json`;

type Ours = { meta?: { count: number }; results?: { id: number; accuracy?: { value: number | null } | null }[]; groups?: { key: Record<string, unknown>; count: number }[] };
type Theirs = {
  filtered_table_rows_count: number;
  rows: { id: number; accuracy?: number | null }[];
  facet_results?: Record<string, { results: { value: unknown; count: number }[] }>;
};

/** One question put to both servers, and how to tell that their answers agree. */
export type Pair = { name: string; ours: string; theirs: string; same: (a: Ours, b: Theirs) => boolean };

const ids = (xs: { id: number }[] | undefined) => JSON.stringify((xs ?? []).map((x) => x.id));
const samePage = (a: Ours, b: Theirs) => a.meta?.count === b.filtered_table_rows_count && ids(a.results) === ids(b.rows);
/** Our per-group counts against Datasette's facet counts, for the keys of one facet (which leaves out NULL). */
const sameFacet = (key: string) => (a: Ours, b: Theirs) => {
  const counts = new Map<unknown, number>();
  for (const g of a.groups ?? []) if (g.key[key] !== null) counts.set(g.key[key], (counts.get(g.key[key]) ?? 0) + g.count);
  const facet = b.facet_results?.[key]?.results ?? [];
  return facet.length === counts.size && facet.every((f) => counts.get(f.value) === f.count);
};

export function pairs(table: string): Pair[] {
  const ds = (qs: string) => `${table}?${qs}&_shape=objects&_nosuggest=1`;
  return [
    { name: "count per organ", ours: "/v1/stats?group_by=organ", theirs: ds("_facet=organ&_size=0"), same: sameFacet("organ") },
    {
      name: "organ × strategy",
      ours: "/v1/stats?group_by=organ,strategy",
      theirs: ds("_facet=organ&_facet=strategy&_size=0"),
      same: (a, b) => sameFacet("organ")(a, b) && sameFacet("strategy")(a, b),
    },
    { name: "page of 50, organ=brain", ours: "/v1/studies?organ=brain&limit=50", theirs: ds("organ=brain&_size=50&_sort=id"), same: samePage },
    {
      name: "page of 50, organ=brain, sort −accuracy",
      ours: "/v1/studies?organ=brain&limit=50&sort=-accuracy",
      theirs: ds("organ=brain&_size=50&_sort_desc=accuracy"),
      // Datasette breaks ties by id ascending, litreview by id in the sort's direction: compare the count and the keys.
      same: (a, b) =>
        a.meta?.count === b.filtered_table_rows_count &&
        JSON.stringify((a.results ?? []).map((s) => s.accuracy?.value ?? null)) === JSON.stringify(b.rows.map((r) => r.accuracy ?? null)),
    },
    {
      name: "counts per organ, year ≥ 2015",
      ours: "/v1/stats?group_by=organ&year_from=2015",
      theirs: ds("year__gte=2015&_facet=organ&_size=0"),
      same: sameFacet("organ"),
    },
    {
      name: "full text q=transfer, page of 50",
      ours: "/v1/studies?q=transfer&limit=50",
      // Raw mode with the prefix query litreview builds from q (filters.ts ftsQuery).
      theirs: ds(`_search=${encodeURIComponent('"transfer"*')}&_searchmode=raw&_size=50&_sort=id`),
      // Our count of a search stops at 10,000 (count_is_lower_bound): compare the page.
      same: (a, b) => ids(a.results) === ids(b.rows) && (a.meta?.count ?? 0) <= b.filtered_table_rows_count,
    },
  ];
}
