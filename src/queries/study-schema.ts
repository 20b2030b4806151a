import { z } from "@hono/zod-openapi";

export const ResultSchema = z
  .object({
    metric: z.string().openapi({ example: "accuracy" }),
    value: z.number().nullable().openapi({ description: "The figure used in statistics; the midpoint for a printed range", example: 96.085 }),
    low: z.number().nullable().openapi({ description: "Lower end of a printed range, else the value", example: 95.5 }),
    high: z.number().nullable().openapi({ example: 96.67 }),
    text: z.string().openapi({ description: "As printed in the review", example: "95.5% to 96.67% depending on methods" }),
    scale: z.enum(["percent", "fraction"]).nullable().openapi({
      description: "percent: 0-100; fraction: 0-1. Every value of a metric is on that metric's one scale; null for a metric with no known range",
      example: "percent",
    }),
  })
  .openapi("Result");

export const StudySchema = z
  .object({
    id: z.number().int().openapi({ example: 17 }),
    organ: z.string().openapi({ example: "breast" }),
    condition: z.string().openapi({ example: "breast cancer" }),
    strategy: z.string().nullable().openapi({
      description: "fine-tuning, feature-extraction or combined; an imported value the vocabulary cannot map is kept as printed",
      example: "fine-tuning",
    }),
    backbones: z.array(z.string()).openapi({ example: ["VGG-16"] }),
    year: z.number().int().nullable().openapi({ example: 2018 }),
    modality: z.string().nullable().openapi({ description: "Inferred from the linked work's title; null when it does not say", example: "MRI" }),
    accuracy: ResultSchema.omit({ metric: true }).nullable().openapi({ description: "Null when the study reports no accuracy" }),
    results: z.array(ResultSchema),
    method_text: z.string().openapi({ example: "Fine-tuning on VGG-16" }),
    dataset: z.string().nullable().openapi({ description: "The data set the figures are on, where the review says", example: "EyePACS-1" }),
    sample_size: z.number().int().nullable().openapi({ description: "Images or patients the figures are on, where the review says", example: 9963 }),
    citation: z.object({
      printed: z.string().openapi({ description: "The citation as printed in the review's table", example: "[30]" }),
      reference_id: z.number().int().nullable().openapi({ description: "The work it resolves to (GET /v1/references/{id})", example: 30 }),
      confidence: z.enum(["high", "medium", "low"]).openapi({ example: "high" }),
      status: z.enum(["linked", "uncertain"]).openapi({
        description: "uncertain: the printed number could not be tied to a work with confidence; reference_id is the best candidate",
        example: "linked",
      }),
      evidence: z.array(z.string()).openapi({ example: ["printed number + 3", "year 2018 matches"] }),
      reason: z.string().nullable().openapi({ description: "Why a link is uncertain, or what else was considered", example: null }),
    }),
    source: z.object({
      table: z.string().openapi({ example: "Table 3" }),
      row: z.number().int().openapi({ example: 3 }),
    }),
  })
  .openapi("Study");
export type Study = z.infer<typeof StudySchema>;

export const WorkSchema = z
  .object({
    id: z.number().int().openapi({ example: 30 }),
    authors: z.array(z.string()).openapi({ example: ["Huynh BQ", "Li H", "Giger ML"] }),
    year: z.number().int().nullable().openapi({ example: 2016 }),
    title: z.string(),
    venue: z.string().nullable(),
    volume: z.string().nullable(),
    issue: z.string().nullable(),
    pages: z.string().nullable(),
    raw: z.string().openapi({ description: "The reference entry as printed" }),
    doi: z.string().nullable().openapi({ example: "10.1001/jama.2016.17216" }),
    url: z.string().nullable(),
  })
  .openapi("Work");

export const StudyDetailSchema = StudySchema.extend({
  review: z.string().openapi({ description: "The review this study comes from", example: "dlmia-2024" }),
  printed: z
    .object({
      organ: z.string().nullable(),
      strategy: z.string().nullable(),
      backbones: z.array(z.object({ name: z.string(), family: z.string().nullable(), printed: z.string().nullable() })),
    })
    .openapi({ description: "Imported sheets: the cells as printed beside the normalised values (null for the curated review, whose printed text is method_text)" }),
  work: WorkSchema.nullable().openapi({ description: "The linked work; null when the citation resolves to none" }),
}).openapi("StudyDetail");
export type StudyDetail = z.infer<typeof StudyDetailSchema>;
