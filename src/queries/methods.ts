import { z } from "@hono/zod-openapi";
import { and, asc, count, eq, type SQL } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { methodItems } from "../db/schema.js";

const text = (description: string, example: string) => z.string().openapi({ description, example });
const equationNumber = z.coerce.number().int().positive().openapi({ description: "Its number in the review", example: 17 });

const itemBase = {
  slug: z.string().openapi({ example: "max" }),
  name: z.string().openapi({ example: "Max pooling" }),
  review: z.string().openapi({ example: "dlmia-2024" }),
  source: z.string().openapi({ description: "Where in the review it comes from", example: "Table 6 row 1" }),
};
const item = <S extends z.ZodRawShape>(shape: S) => z.object({ ...itemBase, ...shape });

/** Each kind's items: the common fields plus that kind's attributes (cells are printed text). */
export const MethodItemSchemas = {
  "convolution-variants": item({
    zero_padding: text("Zero-padding, as Table 5 prints it", "Flexible"),
    stride: text("Stride", "1"),
    groups: text("Groups", "1"),
    dilation_rate: text("Dilation rate", "Usually more than 2"),
    benefit: text("What the variant is good for", "Expands the receptive field"),
  }),
  "pooling-methods": item({
    size: text("Pooling window size", "Fixed"),
    stride: text("Stride relative to the size", "= Size"),
    strategy: text("How the window is reduced", "Take the maximum pixel of the local region"),
    benefit: text("What the method is good for", "Preserves texture features"),
  }),
  "transfer-categories": item({
    assumption: text("What the category assumes about source and target", "Source and target share underlying features"),
    summary: text("How it transfers", "Maps both domains into a common feature space"),
  }),
  "pretrained-models": item({}),
  activations: item({
    equation_number: equationNumber,
    formula: text("The activation", "ReLU(x) = x if x > 0, 0 if x <= 0"),
    note: text("What the review says of it", "Most used in vision"),
  }),
  equations: item({
    equation_number: equationNumber,
    formula: text("The equation as printed, in plain text", "u = floor((t - k + 2p) / s) + 1"),
    variables: text("What its symbols mean", "s stride"),
    example: text("The review's worked example", "t=7, k=3, p=1, s=3 gives u=3"),
  }),
} as const;

export const METHOD_KINDS = Object.keys(MethodItemSchemas) as MethodKind[];
export const MethodKindSchema = z.enum(METHOD_KINDS as [MethodKind, ...MethodKind[]]).openapi({
  description: "A kind of methods knowledge",
  example: "pooling-methods",
});
export type MethodKind = keyof typeof MethodItemSchemas;


export const MethodItemSchema = z
  .union(METHOD_KINDS.map((k) => MethodItemSchemas[k]) as unknown as [z.ZodObject, z.ZodObject, ...z.ZodObject[]])
  .openapi("MethodItem");
export type MethodItem<K extends MethodKind = MethodKind> = z.infer<(typeof MethodItemSchemas)[K]>;

export const MethodKindSummarySchema = z
  .object({
    kind: MethodKindSchema,
    count: z.number().int().openapi({ example: 4 }),
    path: z.string().openapi({ example: "/v1/methods/pooling-methods" }),
  })
  .openapi("MethodKindSummary");
export type MethodKindSummary = z.infer<typeof MethodKindSummarySchema>;

/** Every kind this API knows, with how many items the loaded review(s) hold of it. */
export function listMethodKinds(db: Db, input: { review?: string | undefined }): MethodKindSummary[] {
  const counted = db
    .select({ kind: methodItems.kind, n: count() })
    .from(methodItems)
    .where(input.review === undefined ? undefined : eq(methodItems.reviewId, input.review))
    .groupBy(methodItems.kind)
    .all();
  return METHOD_KINDS.map((kind) => ({
    kind,
    count: counted.find((c) => c.kind === kind)?.n ?? 0,
    path: `/v1/methods/${kind}`,
  }));
}

/**
 * The items of one kind, in the order the review prints them. Attributes are parsed by the kind's
 * schema on the way out, so a malformed data file fails loudly in tests, not silently in a client.
 */
export function listMethods<K extends MethodKind>(db: Db, input: { kind: K; review?: string | undefined }): MethodItem<K>[] {
  const where: SQL[] = [eq(methodItems.kind, input.kind)];
  if (input.review !== undefined) where.push(eq(methodItems.reviewId, input.review));
  const rows = db
    .select()
    .from(methodItems)
    .where(and(...where))
    .orderBy(asc(methodItems.reviewId), asc(methodItems.position))
    .all();
  const schema = MethodItemSchemas[input.kind];
  return rows.map(
    (r) =>
      schema.parse({ ...r.attributes, slug: r.slug, name: r.name, review: r.reviewId, source: r.source }) as MethodItem<K>,
  );
}
