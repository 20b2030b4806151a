import { z } from "@hono/zod-openapi";
import { ConvolutionInputSchema, convolutionOutputSize } from "../../queries/convolution.js";
import { listMethodKinds, listMethods, type MethodItem, MethodKindSchema } from "../../queries/methods.js";
import { defineCommand } from "../command.js";
import { renderTable } from "../table.js";

export const methodsCommand = defineCommand({
  name: "methods",
  summary: "The methods knowledge: the kinds, or the items of one kind",
  example: "litreview methods pooling-methods",
  schema: z.object({ kind: MethodKindSchema.optional(), review: z.string().min(1).max(100).optional() }),
  positional: "kind",
  run(ctx, { kind, review }) {
    if (kind === undefined) {
      const kinds = listMethodKinds(ctx.db, { review });
      if (ctx.json) return ctx.out(JSON.stringify(kinds, null, 2));
      return ctx.out(
        renderTable([{ header: "kind", value: (k) => k.kind }, { header: "items", value: (k) => k.count, align: "right" }], kinds),
      );
    }
    const items: MethodItem[] = listMethods(ctx.db, { kind, review });
    if (ctx.json) return ctx.out(JSON.stringify(items, null, 2));
    // Each kind has its own attributes; show them all, in the data's column order.
    const extra = Object.keys(items[0] ?? {}).filter((k) => !["slug", "name", "review", "source"].includes(k));
    ctx.out(
      renderTable<MethodItem>(
        [
          { header: "name", value: (i) => i.name },
          ...extra.map((k) => ({ header: k, value: (i: MethodItem) => String((i as Record<string, unknown>)[k] ?? ""), max: 50 })),
          { header: "source", value: (i) => i.source },
        ],
        items,
      ),
    );
  },
});

export const convCommand = defineCommand({
  name: "conv-size",
  summary: "Output size of a convolution by the review's equations",
  example: "litreview conv-size --t 7 --k 3 --p 1 --s 3",
  schema: ConvolutionInputSchema,
  run(ctx, input) {
    const out = convolutionOutputSize(ctx.db, input);
    if (ctx.json) return ctx.out(JSON.stringify(out, null, 2));
    const lines = [`u = ${out.output_size}`];
    if (out.kernel_equation) lines.push(`Eq. (${out.kernel_equation.number ?? "?"}): ${out.kernel_equation.substituted}`);
    lines.push(`Eq. (${out.equation.number ?? "?"}): ${out.equation.substituted}`);
    if (!out.exact) lines.push("(the stride does not divide evenly; the last positions are dropped)");
    ctx.out(lines.join("\n"));
  },
});
