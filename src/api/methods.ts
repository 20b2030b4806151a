import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../app.js";
import { ConvolutionInputSchema, ConvolutionOutputSchema, convolutionOutputSize } from "../queries/convolution.js";
import { listMethodKinds, listMethods, METHOD_KINDS, MethodItemSchema, MethodKindSchema, MethodKindSummarySchema } from "../queries/methods.js";
import { provenance, ProvenanceSchema, ReviewParam } from "./meta.js";
import { ApiError, problemResponse } from "./problem.js";
import { strictQuery } from "./strict-query.js";

const ReviewQuerySchema = z.object({ review: ReviewParam });

const indexRoute = createRoute({
  method: "get",
  path: "/v1/methods",
  tags: ["methods"],
  summary: "The kinds of methods knowledge the review describes, with counts",
  middleware: [strictQuery(ReviewQuerySchema)] as const,
  request: { query: ReviewQuerySchema },
  responses: {
    200: {
      description: "Every kind, with its item count and path",
      content: {
        "application/json": {
          schema: z
            .object({
              meta: z.object({ count: z.number().int(), provenance: ProvenanceSchema }),
              kinds: z.array(MethodKindSummarySchema),
              calculators: z.array(z.object({ name: z.string(), path: z.string() })),
            })
            .openapi("MethodKinds"),
        },
      },
    },
    400: problemResponse("A bad or unknown parameter"),
  },
});

const convolutionRoute = createRoute({
  method: "get",
  path: "/v1/methods/convolution-output-size",
  tags: ["methods"],
  summary: "Output size of a convolution by the review's equations (1), (2), (4), (16), (17)",
  description:
    "u = floor((t - k' + 2p) / s) + 1 with k' = k + (k - 1)(d - 1). The answer names the simplest of the review's " +
    "equations that covers the inputs and shows it with the values substituted.",
  middleware: [strictQuery(ConvolutionInputSchema)] as const,
  request: { query: ConvolutionInputSchema },
  responses: {
    200: { description: "The output size and the formula used", content: { "application/json": { schema: ConvolutionOutputSchema } } },
    400: problemResponse("A missing, non-integer or out-of-range input, or a kernel larger than the padded input"),
  },
});

const kindRoute = createRoute({
  method: "get",
  path: "/v1/methods/{kind}",
  tags: ["methods"],
  summary: "The items of one kind: convolution variants, pooling methods, transfer categories, pre-trained models, activations, equations",
  middleware: [strictQuery(ReviewQuerySchema)] as const,
  // A plain string, checked in the handler: an unknown kind is a missing resource (404), not a bad parameter.
  request: {
    params: z.object({ kind: z.string().openapi({ enum: [...METHOD_KINDS], example: "pooling-methods" }) }),
    query: ReviewQuerySchema,
  },
  responses: {
    200: {
      description: "The items, in the review's order",
      content: {
        "application/json": {
          schema: z
            .object({
              meta: z.object({ kind: MethodKindSchema, count: z.number().int(), provenance: ProvenanceSchema }),
              items: z.array(MethodItemSchema),
            })
            .openapi("MethodList"),
        },
      },
    },
    400: problemResponse("A bad or unknown parameter"),
    404: problemResponse("No such kind"),
  },
});

// The calculator is registered before /{kind} so its path is not read as a kind.
export const methodRoutes = new OpenAPIHono<AppEnv>()
  .openapi(indexRoute, (c) => {
    const { review } = c.req.valid("query");
    const sources = provenance(c.var.db, review);
    const kinds = listMethodKinds(c.var.db, { review });
    return c.json(
      {
        meta: { count: kinds.length, provenance: sources },
        kinds,
        calculators: [{ name: "convolution-output-size", path: "/v1/methods/convolution-output-size?t=7&k=3&p=1&s=3&d=1" }],
      },
      200,
    );
  })
  .openapi(convolutionRoute, (c) => c.json(convolutionOutputSize(c.var.db, c.req.valid("query")), 200))
  .openapi(kindRoute, (c) => {
    const parsed = MethodKindSchema.safeParse(c.req.valid("param").kind);
    if (!parsed.success) {
      throw new ApiError(404, `No methods of kind ${JSON.stringify(c.req.valid("param").kind.slice(0, 100))}; kinds: ${METHOD_KINDS.join(", ")}`, "kind");
    }
    const kind = parsed.data;
    const { review } = c.req.valid("query");
    const sources = provenance(c.var.db, review);
    const items = listMethods(c.var.db, { kind, review });
    return c.json({ meta: { kind, count: items.length, provenance: sources }, items }, 200);
  });
