import { createServer } from "node:http";
import Database from "better-sqlite3";

/**
 * The floor for an uncached page of studies over HTTP (issue 12): plain node:http and one
 * prepared better-sqlite3 statement that returns the API's fields for a page of one organ (study,
 * backbones, results and accuracy, citation link), with the count kept once per organ as the
 * summary tables do. No routing, validation, provenance or ETag: what any server must do at least.
 * Run by the bench as its own process: DATABASE_PATH, PORT (0: any), answers /v1/studies?organ=&limit=.
 */
const sqlite = new Database(process.env.DATABASE_PATH ?? "", { readonly: true, fileMustExist: true });
const page = sqlite.prepare(
  `SELECT s.id, s.organ, s.condition, s.strategy, s.year, s.modality, s.method_text, s.dataset, s.sample_size, s.source_table, s.source_row,
          c.printed, c.work_id, c.confidence, c.status, c.evidence, c.reason,
          (SELECT json_group_array(backbone) FROM (SELECT backbone FROM study_backbones b WHERE b.study_id = s.id ORDER BY backbone)) AS backbones,
          (SELECT json_group_array(json_object('metric', metric, 'value', value, 'low', low, 'high', high, 'text', text, 'scale', scale))
             FROM (SELECT * FROM study_results r WHERE r.study_id = s.id ORDER BY metric)) AS results
   FROM studies s LEFT JOIN citation_links c ON c.study_id = s.id
   WHERE s.organ = ? ORDER BY s.id LIMIT ?`,
);
const countOf = sqlite.prepare("SELECT count(*) FROM studies WHERE organ = ?").pluck();
const counts = new Map<string, number>();

type Row = Record<string, string | number | null> & { backbones: string; results: string; evidence: string | null };
type Result = { metric: string; value: number | null; low: number | null; high: number | null; text: string; scale: string | null };

const shape = (r: Row) => {
  const results = JSON.parse(r.results) as Result[];
  const acc = results.find((x) => x.metric === "accuracy");
  return {
    id: r.id,
    organ: r.organ,
    condition: r.condition,
    strategy: r.strategy,
    backbones: JSON.parse(r.backbones),
    year: r.year,
    modality: r.modality,
    accuracy: acc ? { value: acc.value, low: acc.low, high: acc.high, text: acc.text, scale: acc.scale } : null,
    results,
    method_text: r.method_text,
    dataset: r.dataset,
    sample_size: r.sample_size,
    citation: {
      printed: r.printed ?? "",
      reference_id: r.work_id,
      confidence: r.confidence ?? "low",
      status: r.status ?? "uncertain",
      evidence: r.evidence === null ? [] : JSON.parse(r.evidence),
      reason: r.reason,
    },
    source: { table: r.source_table, row: r.source_row },
  };
};

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://floor");
  const organ = url.searchParams.get("organ") ?? "";
  const limit = Math.min(500, Number(url.searchParams.get("limit") ?? 50) || 50);
  const count = counts.get(organ) ?? (countOf.get(organ) as number);
  counts.set(organ, count);
  const rows = page.all(organ, limit) as Row[];
  const body = JSON.stringify({ meta: { count, limit }, results: rows.map(shape) });
  res.writeHead(200, { "content-type": "application/json" }).end(body);
});
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  console.log(`floor listening on http://127.0.0.1:${port}`);
});
