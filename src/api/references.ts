import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../app.js";
import {
  allReferences,
  getReference,
  listReferences,
  type Reference,
  ReferenceSchema,
  ReferencesFilterSchema,
  ReferencesPageSchema,
} from "../queries/references.js";
import { csvResponse, toCsv } from "./csv.js";
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
  .openapi(listRoute, async (c) => {
    const { format, limit, cursor, ...filter } = c.req.valid("query");
    const sources = provenance(c.var.db, filter.review);
    if (format === "json") {
      const page = listReferences(c.var.db, { ...filter, limit, ...(cursor ? { cursor } : {}) });
      const { results, ...counts } = page;
      return c.json({ meta: { ...counts, provenance: sources }, results }, 200);
    }
    const paging = ["limit", "cursor"].find((k) => c.req.query(k) !== undefined);
    if (paging) {
      throw new ApiError(400, `${paging}: a ${format} download holds every match and is not paged; drop ${paging}`, paging);
    }
    const refs = allReferences(c.var.db, filter);
    if (format === "csv") return csvResponse(c, "references.csv", referencesCsv(refs));
    // citation-js and its plugins take about 0.4 s to import: loaded on the first citation download.
    const { CITATION_FORMATS, formatCitations } = await import("./export-citations.js");
    const { contentType, filename } = CITATION_FORMATS[format];
    return sendDownload(c, contentType, filename, formatCitations(refs, format));
  })
  .openapi(getRoute, (c) => {
    const { id } = c.req.valid("param");
    const result = getReference(c.var.db, id);
    if (!result) throw new ApiError(404, `No reference with id ${id}`, "id");
    return c.json({ meta: { provenance: provenance(c.var.db, result.review) }, result }, 200);
  });

function sendDownload(c: Context, contentType: string, filename: string, data: string): Response {
  return c.body(data, 200, { "Content-Type": contentType, "Content-Disposition": `attachment; filename="${filename}"` });
}

const CSV_HEADER = [
  "id", "review", "printed_numbers", "authors", "year", "title", "venue", "volume", "issue", "pages",
  "type", "off_topic", "study_ids", "raw",
] as const;

/** One row per work; lists are joined with "; " and an unnumbered printing shows as "unnumbered". */
export function referencesCsv(refs: Reference[]): string {
  return toCsv(
    CSV_HEADER,
    refs.map((r) => [
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
    ]),
  );
}
