import { z } from "@hono/zod-openapi";
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { methodItems } from "../db/schema.js";

// Large enough for any real image or volume side; small enough that no arithmetic loses precision.
export const CONV_MAX = 100_000;

/** A whole number given in decimal digits only: "7", not "7.0", "0x7", "7e0" or " 7". */
const whole = (min: number, max: number, description: string, example: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? "is required" : "must be given once, as a whole number") })
    .regex(/^\d{1,9}$/, "must be a whole number written in digits")
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
    .openapi({ description, type: "integer", minimum: min, maximum: max, param: { example } });

export const ConvolutionInputSchema = z
  .object({
    t: whole(1, CONV_MAX, "Input size (side length)", 7),
    k: whole(1, CONV_MAX, "Kernel size", 3),
    p: whole(0, CONV_MAX, "Zero-padding on each side (default 0)", 1).optional(),
    s: whole(1, CONV_MAX, "Stride (default 1)", 3).optional(),
    d: whole(1, CONV_MAX, "Dilation rate (default 1)", 1).optional(),
  })
  .superRefine((v, ctx) => {
    const kEff = v.k + (v.k - 1) * ((v.d ?? 1) - 1);
    const room = v.t + 2 * (v.p ?? 0);
    if (kEff > room) {
      ctx.addIssue({
        code: "custom",
        path: ["k"],
        message: `the effective kernel size k' = ${kEff} is larger than the padded input t + 2p = ${room}, so there is no output`,
      });
    }
  });
export type ConvolutionInput = z.infer<typeof ConvolutionInputSchema>;

const EquationUsedSchema = z.object({
  slug: z.string().openapi({ example: "strided-output-size" }),
  number: z.number().int().nullable().openapi({ description: "Its number in the review", example: 4 }),
  formula: z.string().openapi({ example: "u = floor((t - k + 2p) / s) + 1" }),
  substituted: z.string().openapi({ example: "u = floor((7 - 3 + 2×1) / 3) + 1 = 3" }),
});

export const ConvolutionOutputSchema = z
  .object({
    output_size: z.number().int().openapi({ description: "u, the output side length", example: 3 }),
    inputs: z.object({ t: z.number().int(), k: z.number().int(), p: z.number().int(), s: z.number().int(), d: z.number().int() }),
    effective_kernel_size: z.number().int().openapi({ description: "k' = k + (k - 1)(d - 1); k itself when d = 1", example: 3 }),
    exact: z.boolean().openapi({ description: "false when the stride does not divide t - k' + 2p and the floor drops the last positions" }),
    equation: EquationUsedSchema.openapi({ description: "The review's equation for these inputs, with the values substituted" }),
    kernel_equation: EquationUsedSchema.nullable().openapi({ description: "Eq. (16), the dilated kernel size, when d > 1" }),
  })
  .openapi("ConvolutionOutputSize");
export type ConvolutionOutput = z.infer<typeof ConvolutionOutputSchema>;

// The equations of the review this computes with; the numbers and printed formulas are read from its data.
const FALLBACK = {
  "standard-output-size": "u = t - k + 1",
  "padded-output-size": "u = t - k + 2p + 1",
  "strided-output-size": "u = floor((t - k + 2p) / s) + 1",
  "dilated-kernel-size": "k' = k + (k - 1)(d - 1)",
  "dilated-output-size": "u = floor((t - k - (k - 1)(d - 1) + 2p) / s) + 1",
} as const;
type EquationSlug = keyof typeof FALLBACK;

/**
 * Output size of a convolution by the review's equations, using the simplest one that covers the
 * inputs: (1) plain, (2) with padding, (4) with stride, (17) with dilation (and (16) for k').
 * All are the one formula u = floor((t - k' + 2p) / s) + 1 with defaults p = 0, s = 1, d = 1.
 */
export function convolutionOutputSize(db: Db, input: ConvolutionInput): ConvolutionOutput {
  const { t, k } = input;
  const p = input.p ?? 0;
  const s = input.s ?? 1;
  const d = input.d ?? 1;
  const kEff = k + (k - 1) * (d - 1);
  const span = t - kEff + 2 * p;
  const u = Math.floor(span / s) + 1;
  const printed = equationsBySlug(db);
  const eq = (slug: EquationSlug, substituted: string) => ({
    slug,
    number: printed.get(slug)?.number ?? null,
    formula: printed.get(slug)?.formula ?? FALLBACK[slug],
    substituted,
  });

  const equation =
    d > 1
      ? eq("dilated-output-size", `u = floor((${t} - ${k} - (${k} - 1)(${d} - 1) + 2×${p}) / ${s}) + 1 = ${u}`)
      : s > 1
        ? eq("strided-output-size", `u = floor((${t} - ${k} + 2×${p}) / ${s}) + 1 = ${u}`)
        : p > 0
          ? eq("padded-output-size", `u = ${t} - ${k} + 2×${p} + 1 = ${u}`)
          : eq("standard-output-size", `u = ${t} - ${k} + 1 = ${u}`);
  return {
    output_size: u,
    inputs: { t, k, p, s, d },
    effective_kernel_size: kEff,
    exact: span % s === 0,
    equation,
    kernel_equation: d > 1 ? eq("dilated-kernel-size", `k' = ${k} + (${k} - 1)(${d} - 1) = ${kEff}`) : null,
  };
}

function equationsBySlug(db: Db): Map<string, { number: number | null; formula: string }> {
  const rows = db
    .select({ slug: methodItems.slug, attributes: methodItems.attributes })
    .from(methodItems)
    .where(and(eq(methodItems.kind, "equations"), inArray(methodItems.slug, Object.keys(FALLBACK))))
    .orderBy(asc(methodItems.reviewId))
    .all();
  const bySlug = new Map<string, { number: number | null; formula: string }>();
  for (const r of rows) {
    if (bySlug.has(r.slug)) continue;
    const n = Number(r.attributes.equation_number);
    const formula = r.attributes.formula;
    bySlug.set(r.slug, {
      number: Number.isInteger(n) ? n : null,
      formula: typeof formula === "string" ? formula : FALLBACK[r.slug as EquationSlug],
    });
  }
  return bySlug;
}
