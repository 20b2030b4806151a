import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../app.js";
import type { Context } from "hono";
import { openSnapshot } from "../db/snapshot.js";
import {
  countReferences,
  getReference,
  iterateReferences,
  listReferences,
  type Reference,
  ReferenceSchema,
  ReferencesFilterSchema,
  type ReferencesSelection,
  ReferencesPageSchema,
} from "../queries/references.js";
import { StudyFiltersSchema } from "../queries/filters.js";
import { csvLines, exportTag, streamDownload, toCsv } from "./csv.js";
import { toCsl } from "./csl.js";
import type { CitationFormat } from "./export-citations.js";
import { provenance, ProvenanceSchema } from "./meta.js";
import { ApiError, problemResponse } from "./problem.js";
import { strictQuery } from "./strict-query.js";

export const REFERENCE_FORMATS = ["json", "csv", "bibtex", "ris", "csl-json"] as const;

export const ReferencesQuerySchema = ReferencesFilterSchema.extend(ReferencesPageSchema.shape).extend({
  format: z.enum(REFERENCE_FORMATS).default("json").openapi({
    description: "json (paged) or a download of every match: csv, bibtex, ris, csl-json",
    example: "bibtex",
  }),
});

/** The references of a view: the study filters, then the page or the download of the works they cite. */
export const StudyReferencesQuerySchema = StudyFiltersSchema.extend(ReferencesPageSchema.shape).extend({ format: ReferencesQuerySchema.shape.format });

export const ReferencesResponseSchema = z
  .object({
    meta: z.object({
      count: z.number().int().openapi({ description: "Works matching the filter, over all pages", example: 53 }),
      limit: z.number().int().openapi({ example: 50 }),
      next_cursor: z.string().nullable().openapi({ description: "Pass as cursor for the next page; null on the last page" }),
      provenance: ProvenanceSchema,
    }),
    results: z.array(ReferenceSchema),
  })
  .openapi("ReferenceList");

export const ReferenceDetailResponseSchema = z
  .object({ meta: z.object({ provenance: ProvenanceSchema }), result: ReferenceSchema })
  .openapi("ReferenceDetail");

// Downloads are described with plain OpenAPI schemas, not zod: the typed client (hono/client) then
// types res.json() as the JSON page alone instead of a union with every download format.
const download = (description: string, schema: { type: "string" } | { type: "array"; items: { type: "object" } } = { type: "string" }) => ({
  schema: { ...schema, description },
});

const listRoute = createRoute({
  method: "get",
  path: "/v1/references",
  tags: ["references"],
  summary: "Search the works the review cites; export them as CSV, BibTeX, RIS or CSL-JSON",
  description:
    "Works in reference-list order. Each carries every number it is printed under (a work printed twice has two; " +
    "an entry printed without a number has null) and the studies that cite it. With a format other than json " +
    "the answer is a download of every match, so limit and cursor are refused there.",
  middleware: [strictQuery(ReferencesQuerySchema)] as const,
  request: { query: ReferencesQuerySchema },
  responses: {
    200: {
      description: "A page of works, or a download",
      content: {
        "application/json": { schema: ReferencesResponseSchema },
        "text/csv": download('One row per work; lists joined with "; "'),
        "application/x-bibtex": download('One entry per work; a truncated author list ends with "and others"'),
        "application/x-research-info-systems": download("One record per work"),
        "application/vnd.citationstyles.csl+json": download("CSL-JSON items (id, citation-key, type, title, author, issued, container-title, volume, issue, page, note)", {
          type: "array",
          items: { type: "object" },
        }),
      },
    },
    400: problemResponse("A bad or unknown parameter"),
  },
});

const studyReferencesRoute = createRoute({
  method: "get",
  path: "/v1/studies/references",
  tags: ["references"],
  summary: "The works cited by the studies that match the filters; export them as CSV, BibTeX, RIS or CSL-JSON",
  description:
    "The references of a view: takes the filters of /v1/studies and answers as /v1/references does, with the works " +
    "that at least one matching study cites, in reference-list order. With review, each work's printed numbers and " +
    "citing studies are those of that review. With a format other than json the answer is a download of every such " +
    "work, so limit and cursor are refused there.",
  middleware: [strictQuery(StudyReferencesQuerySchema)] as const,
  request: { query: StudyReferencesQuerySchema },
  responses: listRoute.responses,
});

const getRoute = createRoute({
  method: "get",
  path: "/v1/references/{id}",
  tags: ["references"],
  summary: "One work with its printed numbers and citing studies",
  middleware: [strictQuery(z.object({}))] as const,
  request: {
    params: z.object({
      id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).openapi({ description: "Work id", example: 8 }),
    }),
  },
  responses: {
    200: { description: "The work", content: { "application/json": { schema: ReferenceDetailResponseSchema } } },
    400: problemResponse("The id is not a positive integer"),
    404: problemResponse("No work has this id"),
  },
});

export const referenceRoutes = new OpenAPIHono<AppEnv>()
  .openapi(listRoute, (c) => {
    const { format, limit, cursor, ...filter } = c.req.valid("query");
    return answerReferences(c, filter, { format, limit, cursor });
  })
  .openapi(studyReferencesRoute, (c) => {
    const { format, limit, cursor, ...citedBy } = c.req.valid("query");
    return answerReferences(c, { citedBy, scope: citedBy.review }, { format, limit, cursor });
  })
  .openapi(getRoute, (c) => {
    const { id } = c.req.valid("param");
    const result = getReference(c.var.db, id);
    if (!result) throw new ApiError(404, `No reference with id ${id}`, "id");
    return c.json({ meta: { provenance: provenance(c.var.db, result.review) }, result }, 200);
  });

/** A page of the selected works as JSON, or the download of all of them. */
async function answerReferences(
  c: Context<AppEnv>,
  selection: ReferencesSelection,
  { format, limit, cursor }: { format: (typeof REFERENCE_FORMATS)[number]; limit: number; cursor?: { id: number } },
) {
  const sources = provenance(c.var.db, selection.scope ?? selection.review);
  if (format === "json") {
    const page = listReferences(c.var.db, { ...selection, limit, ...(cursor ? { cursor } : {}) });
    const { results, ...counts } = page;
    return c.json({ meta: { ...counts, provenance: sources }, results }, 200);
  }
  const paging = ["limit", "cursor"].find((k) => c.req.query(k) !== undefined);
  if (paging) {
    throw new ApiError(400, `${paging}: a ${format} download holds every match and is not paged; drop ${paging}`, paging);
  }
  if (format === "csv") {
    return streamReferences(c, selection, { contentType: "text/csv; charset=utf-8", filename: "references.csv" }, 500, csvPieces);
  }
  // citation-js and its plugins take about 0.4 s to import: loaded on the first citation download.
  const { CITATION_FORMATS, formatCitations } = await import("./export-citations.js");
  const write = (refs: Reference[]) => formatCitations(refs, format);
  return streamReferences(c, selection, CITATION_FORMATS[format], format === "csl-json" ? 500 : CITATION_BATCH, (batches) =>
    citationPieces(batches, write, format),
  );
}

/**
 * A download of every matching work, streamed a batch at a time as the client reads, from a
 * connection of its own holding one snapshot for the count and every batch (the request's own
 * snapshot ends with its handler): memory holds a batch, not the corpus (~1 GB at 1M studies).
 */
function streamReferences(
  c: Context<AppEnv>,
  filter: ReferencesSelection,
  head: { contentType: string; filename: string },
  batch: number,
  toPieces: (batches: Iterator<Reference[]>) => Iterator<string>,
): Response {
  const snapshot = openSnapshot(c.var.db);
  try {
    c.header("X-Total-Count", String(countReferences(snapshot.db, filter)));
    const pieces = toPieces(iterateReferences(snapshot.db, filter, batch));
    return streamDownload(c, { ...head, etag: exportTag(c.var.db, c.req.url) }, pieces, snapshot.close);
  } catch (err) {
    snapshot.close();
    throw err;
  }
}

// citation-js takes about 0.3 ms a work for BibTeX (0.2 for RIS): a batch of 100 holds the event
// loop some 30 ms, short enough for /health and the API to be answered between two batches.
const CITATION_BATCH = 100;

function* csvPieces(batches: Iterator<Reference[]>): Generator<string> {
  yield csvLines([CSV_HEADER]);
  for (let next = batches.next(); !next.done; next = batches.next()) yield csvLines(next.value.map(referenceCsvRow));
}

/**
 * A citation download a batch at a time, byte for byte what formatting every work at once gives
 * (tests/references/exports.test.ts): CSL-JSON as one indented array; citation-js ends a BibTeX
 * text with one blank line, which only the last batch keeps; RIS records simply follow each other.
 */
function* citationPieces(batches: Iterator<Reference[]>, write: (refs: Reference[]) => string, format: CitationFormat): Generator<string> {
  let first = true;
  for (let next = batches.next(); !next.done; next = batches.next()) {
    if (format === "csl-json") {
      const items = next.value.map((r) => JSON.stringify([toCsl(r)], null, 2).slice(2, -2));
      yield `${first ? "[\n" : ",\n"}${items.join(",\n")}`;
    } else {
      const text = write(next.value);
      yield format === "bibtex" ? text.replace(/\n$/, "") : text;
    }
    first = false;
  }
  if (first) yield write([]);
  else yield format === "csl-json" ? "\n]\n" : format === "bibtex" ? "\n" : "";
}

const CSV_HEADER = [
  "id", "review", "printed_numbers", "authors", "year", "title", "venue", "volume", "issue", "pages",
  "type", "off_topic", "study_ids", "raw",
] as const;

/** One row per work; lists are joined with "; " and an unnumbered printing shows as "unnumbered". */
export function referencesCsv(refs: Reference[]): string {
  return toCsv(CSV_HEADER, refs.map(referenceCsvRow));
}

const referenceCsvRow = (r: Reference) => [
  r.id,
  r.review,
  r.printed_numbers.map((n) => n ?? "unnumbered").join("; "),
  [...r.authors, ...(r.authors_truncated ? ["et al."] : [])].join("; "),
  r.year,
  r.title,
  r.venue,
  r.volume,
  r.issue,
  r.pages,
  r.type,
  r.off_topic,
  r.study_ids.join("; "),
  r.raw,
];
