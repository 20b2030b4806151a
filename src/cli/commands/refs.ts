import { ReferencesQuerySchema, referencesCsv } from "../../api/references.js";
import { formatCitations } from "../../api/export-citations.js";
import { provenance } from "../../api/meta.js";
import { allReferences, listReferences, type Reference } from "../../queries/references.js";
import { defineCommand, UsageError } from "../command.js";
import { renderTable } from "../table.js";

export const refsCommand = defineCommand({
  name: "refs",
  summary: "Search the cited works; --format csv|bibtex|ris|csl-json prints every match in that format",
  example: "litreview refs --cited true --format bibtex > references.bib",
  schema: ReferencesQuerySchema,
  run(ctx, { format, limit, cursor, ...filter }) {
    const sources = provenance(ctx.db, filter.review);
    // As in the API: a download holds every match, so paging flags would only mislead.
    const paging = ["limit", "cursor"].find((k) => ctx.raw[k] !== undefined);
    if (format !== "json" && paging) throw new UsageError(`--${paging}: a ${format} download holds every match and is not paged`);
    if (format === "csv") return ctx.out(referencesCsv(allReferences(ctx.db, filter)));
    if (format !== "json") return ctx.out(formatCitations(allReferences(ctx.db, filter), format));
    const page = listReferences(ctx.db, { ...filter, limit, ...(cursor ? { cursor } : {}) });
    const { results, ...counts } = page;
    if (ctx.json) return ctx.out(JSON.stringify({ meta: { ...counts, provenance: sources }, results }, null, 2));
    ctx.out(
      renderTable<Reference>(
        [
          { header: "id", value: (r) => r.id, align: "right" },
          { header: "printed", value: (r) => r.printed_numbers.map((n) => (n === null ? "unnumbered" : `[${n}]`)).join(" ") },
          { header: "first author", value: (r) => `${r.authors[0] ?? ""}${r.authors.length > 1 || r.authors_truncated ? " et al." : ""}`, max: 28 },
          { header: "year", value: (r) => r.year, align: "right" },
          { header: "title", value: (r) => r.title, max: 60 },
          { header: "studies", value: (r) => r.study_ids.join(",") },
        ],
        results,
      ),
    );
    ctx.err(footer(results.length, counts.count, counts.next_cursor));
  },
});

/** Where the page sits in the whole, and how to get the next one; on stderr so stdout stays a table. */
export function footer(shown: number, total: number | string, next: string | null): string {
  return `${shown} of ${total} shown${next ? `; next page: --cursor ${next}` : ""}`;
}
