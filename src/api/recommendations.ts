import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../app.js";
import { StudyFiltersSchema } from "../queries/filters.js";
import { cachedRecommendations } from "../cache/aggregates.js";
import { RANKING_RULE, STUDY_IDS_SHOWN, THIN_EVIDENCE } from "../queries/recommendations.js";
import { MetricSummarySchema, QUARTILE_METHOD } from "../queries/statistics.js";
import { ProvenanceSchema, studiesProvenance } from "./meta.js";
import { checkMetric, MetricParam, ScaleSchema } from "./metric.js";
import { ApiError, problemResponse } from "./problem.js";
import { strictQuery } from "./strict-query.js";

export const RecommendationsQuerySchema = StudyFiltersSchema.pick({ organ: true, condition: true, review: true }).extend({ metric: MetricParam });

const OptionSchema = z
  .object({
    rank: z.number().int().openapi({ example: 1 }),
    name: z.string().openapi({ example: "fine-tuning" }),
    n: z.number().int().openapi({ description: "Supporting studies", example: 4 }),
    summary: MetricSummarySchema.openapi({ description: "The figures of meta.metric over the option's studies, on meta.scale" }),
    spread: z.object({
      iqr: z.number().nullable().openapi({ description: "q3 - q1", example: 3.18 }),
      range: z.number().nullable().openapi({ description: "max - min", example: 12.63 }),
    }),
    latest_year: z.number().int().nullable().openapi({ example: 2020 }),
    study_ids: z.array(z.number().int()).openapi({
      description: `The supporting studies, lowest id first: all of them up to ${STUDY_IDS_SHOWN}, then the first ${STUDY_IDS_SHOWN} (n counts them all; /v1/studies with the same filters lists the rest)`,
      example: [3, 5, 6, 7],
    }),
    thin_evidence: z.boolean().openapi({ description: `Fewer than ${THIN_EVIDENCE} supporting studies` }),
  })
  .openapi("RankedOption");

const RecommendationsSchema = z
  .object({
    meta: z.object({
      domain: z.object({ organ: z.string().optional(), condition: z.string().optional() }),
      count: z.number().int().openapi({ description: "Studies in the domain", example: 8 }),
      metric: z.string().openapi({ description: "The metric options are ranked by", example: "accuracy" }),
      scale: ScaleSchema,
      ranking_rule: z.string(),
      quartile_method: z.string(),
      provenance: ProvenanceSchema,
    }),
    strategies: z.array(OptionSchema),
    backbones: z.array(OptionSchema),
    caveats: z.array(z.string()).openapi({ description: "Plain statements of how far the evidence goes; read them before the ranking" }),
  })
  .openapi("Recommendations");
export type RecommendationsAnswer = z.infer<typeof RecommendationsSchema>;

const route = createRoute({
  method: "get",
  path: "/v1/recommendations",
  tags: ["aggregates"],
  summary: "Strategies and backbones ranked for an organ or condition by the reported evidence, with caveats",
  description:
    "Give organ, condition or both. A domain with no studies (kidney, named in the review) answers 200 with empty rankings and a caveat.",
  middleware: [strictQuery(RecommendationsQuerySchema)] as const,
  request: { query: RecommendationsQuerySchema },
  responses: {
    200: { content: { "application/json": { schema: RecommendationsSchema } }, description: "Rankings and caveats" },
    400: problemResponse("Neither organ nor condition, or a bad parameter"),
  },
});

export const recommendationsRoutes = new OpenAPIHono<AppEnv>().openapi(route, (c) => {
  const domain = c.req.valid("query");
  if (domain.organ === undefined && domain.condition === undefined) {
    throw new ApiError(400, "organ or condition is required: recommendations are for a domain, e.g. ?organ=brain", "organ");
  }
  const { scale } = checkMetric(c.var.db, domain.metric);
  const sources = studiesProvenance(c.var.db, { organ: domain.organ, condition: domain.condition, review: domain.review });
  const r = cachedRecommendations(c.var.db, domain);
  return c.json(
    {
      meta: {
        domain: { organ: domain.organ, condition: domain.condition },
        count: r.count,
        metric: domain.metric,
        scale,
        ranking_rule: RANKING_RULE,
        quartile_method: QUARTILE_METHOD,
        provenance: sources,
      },
      strategies: r.strategies,
      backbones: r.backbones,
      caveats: r.caveats,
    },
    200,
  );
});
