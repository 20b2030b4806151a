import { decodeCursor, encodeCursor } from "../../api/cursor.js";
import { provenance } from "../../api/meta.js";
import { StudiesQuerySchema } from "../../api/studies.js";
import type { Study } from "../../queries/study-schema.js";
import { listStudies } from "../../queries/studies.js";
import { defineCommand } from "../command.js";
import { printFromApi } from "../via-api.js";
import { renderTable } from "../table.js";
import { footer } from "./refs.js";

export const studiesCommand = defineCommand({
  name: "studies",
  summary: "Filter, sort and page the studies (the same filters as GET /v1/studies)",
  example: "litreview studies --organ brain --sort -accuracy",
  schema: StudiesQuerySchema,
  run(ctx, { sort, limit, cursor, format, ...filters }) {
    if (format === "csv") return printFromApi(ctx, "/v1/studies");
    const sources = provenance(ctx.db, filters.review);
    const page = listStudies(ctx.db, { filters, sort, limit, ...(cursor ? { after: decodeCursor(cursor, sort) } : {}) });
    const next_cursor = page.next ? encodeCursor(sort, page.next) : null;
    if (ctx.json) {
      const meta = { count: page.count, count_is_lower_bound: page.countIsLowerBound, limit, sort, next_cursor, provenance: sources };
      return ctx.out(JSON.stringify({ meta, results: page.results }, null, 2));
    }
    ctx.out(
      renderTable<Study>(
        [
          { header: "id", value: (s) => s.id, align: "right" },
          { header: "organ", value: (s) => s.organ },
          { header: "condition", value: (s) => s.condition, max: 36 },
          { header: "strategy", value: (s) => s.strategy },
          { header: "backbones", value: (s) => s.backbones.join(", "), max: 30 },
          { header: "year", value: (s) => s.year, align: "right" },
          { header: "modality", value: (s) => s.modality },
          { header: "accuracy", value: (s) => s.accuracy?.text, max: 30 },
          { header: "cites", value: (s) => s.citation.printed, max: 24 },
        ],
        page.results,
      ),
    );
    ctx.err(footer(page.results.length, page.countIsLowerBound ? `${page.count}+` : page.count, next_cursor));
  },
});
