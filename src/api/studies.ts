import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../app.js";
import { openSnapshot } from "../db/snapshot.js";
import { StudyFiltersSchema } from "../queries/filters.js";
import { StudyDetailSchema, StudySchema, type Study } from "../queries/study-schema.js";
import { COUNT_BOUND, countStudies, getStudy, iterateStudies, listStudies, SORTS } from "../queries/studies.js";
import { decodeCursor, encodeCursor } from "./cursor.js";
import { csvResponse, csvStreamResponse, exportTag, toCsv } from "./csv.js";
import { jsonBytes } from "./etag.js";
import { type Provenance, provenance, ProvenanceSchema } from "./meta.js";
import { ApiError, problemResponse } from "./problem.js";
import { strictQuery } from "./strict-query.js";

export const FormatParam = z
  .enum(["json", "csv"])
  .default("json")
  .openapi({ description: "json (default) or csv (a download)", example: "csv" });

export const StudiesQuerySchema = StudyFiltersSchema.extend({
  sort: z.enum(SORTS).default("id").openapi({
    description: "Order: year, accuracy or organ; prefix - for descending. Ties are broken by id in the same direction. Missing values sort lowest.",
    example: "-accuracy",
  }),
  limit: z.coerce.number().int().min(1).max(500).default(50).openapi({
    description: "Page size, 1 to 500. With format=csv and neither limit nor cursor, the download holds every matching study.",
    example: 5,
  }),
  cursor: z.string().min(1).max(2000).optional().openapi({
    description: "Opaque position from meta.next_cursor of the previous page (same filters and sort)",
    example: "WyJ5ZWFyIiwyMDE2LDNd",
  }),
  format: FormatParam,
});

const StudiesPageSchema = z
  .object({
    meta: z.object({
      count: z.number().int().openapi({
        description: `Studies matching the filters, over all pages. With q, counted up to ${COUNT_BOUND.toLocaleString("en")}: see count_is_lower_bound`,
        example: 24,
      }),
      count_is_lower_bound: z.boolean().openapi({
        description: `true when more studies match than count says: a full-text search (q) matching more than ${COUNT_BOUND.toLocaleString("en")} studies stops counting there (show it as "${COUNT_BOUND.toLocaleString("en")}+"). Every other count is exact.`,
        example: false,
      }),
      limit: z.number().int().openapi({ example: 50 }),
      sort: z.enum(SORTS),
      next_cursor: z.string().nullable().openapi({ description: "Pass as cursor for the next page; null on the last page" }),
      provenance: ProvenanceSchema,
    }),
    results: z.array(StudySchema),
  })
  .openapi("StudiesPage");
export type StudiesPage = z.infer<typeof StudiesPageSchema>;

const StudyAnswerSchema = z
  .object({ meta: z.object({ provenance: ProvenanceSchema }), result: StudyDetailSchema })
  .openapi("StudyAnswer");

const listRoute = createRoute({
  method: "get",
  path: "/v1/studies",
  tags: ["studies"],
  summary: "Filter, sort and page through the studies",
  middleware: [strictQuery(StudiesQuerySchema)] as const,
  request: { query: StudiesQuerySchema },
  responses: {
    200: {
      content: {
        "application/json": { schema: StudiesPageSchema },
        "text/csv": { schema: z.string().openapi({ description: "One row per study; backbones joined by '; '" }) },
      },
      description: "One page of studies",
    },
    400: problemResponse("A bad or unknown parameter"),
  },
});

const IdParams = z.object({
  id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).openapi({
    param: { name: "id", in: "path" },
    description: "Study id",
    example: 17,
  }),
});

const oneRoute = createRoute({
  method: "get",
  path: "/v1/studies/{id}",
  tags: ["studies"],
  summary: "One study with its linked work",
  middleware: [strictQuery(z.object({}))] as const,
  request: { params: IdParams },
  responses: {
    200: { content: { "application/json": { schema: StudyAnswerSchema } }, description: "The study" },
    400: problemResponse("A malformed id"),
    404: problemResponse("No study with this id"),
  },
});

export const STUDY_CSV_HEADER = [
  "id", "organ", "condition", "strategy", "backbones", "year", "modality", "accuracy", "accuracy_low",
  "accuracy_high", "accuracy_text", "method_text", "citation_printed", "reference_id", "source_table", "source_row",
] as const;

export const studyCsvRow = (s: Study) => [
  s.id, s.organ, s.condition, s.strategy, s.backbones.join("; "), s.year, s.modality, s.accuracy?.value,
  s.accuracy?.low, s.accuracy?.high, s.accuracy?.text, s.method_text, s.citation.printed, s.citation.reference_id,
  s.source.table, s.source.row,
];

/**
 * A page's provenance names every loaded review: with the 1M corpus's 101 reviews, 17 KB of a
 * 47 KB page, whose serialization cost more than a third of the page's JSON. provenance() hands
 * out one array per data version (cached), so its UTF-8 bytes are kept with it and go when it does.
 */
const provenanceBytes = new WeakMap<Provenance, Buffer<ArrayBuffer>>();
function provenanceJson(sources: Provenance): Buffer<ArrayBuffer> {
  let bytes = provenanceBytes.get(sources);
  if (bytes === undefined) {
    bytes = Buffer.from(JSON.stringify(sources));
    provenanceBytes.set(sources, bytes);
  }
  return bytes;
}
const RESULTS_KEY = Buffer.from(`},"results":`);
const CLOSE = Buffer.from("}");

export const studiesRoutes = new OpenAPIHono<AppEnv>()
  .openapi(listRoute, (c) => {
    const { sort, limit, cursor, format, ...filters } = c.req.valid("query");
    const sources = provenance(c.var.db, filters.review);
    const after = cursor === undefined ? undefined : decodeCursor(cursor, sort);
    const filename = `studies${filters.review ? `-${filters.review}` : ""}.csv`;
    // Without limit or cursor a CSV is the whole export, streamed; with them, the page asked for.
    if (format === "csv" && c.req.query("limit") === undefined && after === undefined) {
      // Read a batch at a time as the client takes it, long after this request's own snapshot has
      // ended: a connection of its own holds one snapshot for the count and every batch.
      const snapshot = openSnapshot(c.var.db);
      const batches = iterateStudies(snapshot.db, { filters, sort, batch: 500 });
      const rows = (function* () {
        for (const batch of batches) yield batch.map(studyCsvRow);
      })();
      c.header("X-Total-Count", String(countStudies(snapshot.db, filters)));
      return csvStreamResponse(c, filename, STUDY_CSV_HEADER, rows, exportTag(c.var.db, c.req.url), snapshot.close);
    }
    const page = listStudies(c.var.db, { filters, sort, limit, after });
    const next_cursor = page.next ? encodeCursor(sort, page.next) : null;
    if (format === "csv") {
      const headers: Record<string, string> = { "X-Total-Count": String(page.count) };
      if (page.countIsLowerBound) headers["X-Total-Count-Is-Lower-Bound"] = "true";
      if (next_cursor) headers["X-Next-Cursor"] = next_cursor;
      return csvResponse(c, filename, toCsv(STUDY_CSV_HEADER, page.results.map(studyCsvRow)), headers);
    }
    const meta = { count: page.count, count_is_lower_bound: page.countIsLowerBound, limit, sort, next_cursor };
    // The bytes of JSON.stringify({ meta: { ...meta, provenance }, results }), with the provenance
    // serialized and encoded once per data version rather than once per page (see provenanceJson).
    // Joined as bytes: joined as text, the 47 KB string would be flattened (a copy on the heap) to
    // be encoded, a sixth of what a page allocated.
    const head = Buffer.from(`{"meta":${JSON.stringify(meta).slice(0, -1)},"provenance":`);
    const body = Buffer.concat([head, provenanceJson(sources), RESULTS_KEY, Buffer.from(JSON.stringify(page.results)), CLOSE]);
    return jsonBytes(body, 200);
  })
  .openapi(oneRoute, (c) => {
    const { id } = c.req.valid("param");
    const study = getStudy(c.var.db, id);
    if (!study) throw new ApiError(404, `No study with id ${id}`, "id");
    return c.json({ meta: { provenance: provenance(c.var.db, study.review) }, result: study }, 200);
  });
