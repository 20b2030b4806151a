import { z } from "@hono/zod-openapi";

/** RFC 9457 problem details; every 4xx/5xx this API sends has this shape. */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "https://litreview.dev/problems/invalid-parameter" }),
    title: z.string().openapi({ example: "Invalid query parameter" }),
    status: z.number().int().openapi({ example: 400 }),
    detail: z.string().openapi({ example: "limit must be at most 500" }),
    parameter: z.string().optional().openapi({ description: "The offending parameter, when there is one", example: "limit" }),
    instance: z.string().optional(),
  })
  .openapi("Problem");
export type Problem = z.infer<typeof ProblemSchema>;

const TITLES: Record<number, [string, string]> = {
  400: ["invalid-parameter", "Invalid request"],
  404: ["not-found", "Not found"],
  405: ["method-not-allowed", "Method not allowed"],
  500: ["internal-error", "Internal server error"],
  503: ["busy", "Busy: try again shortly"],
};

/** The one error class: thrown anywhere, answered by the app's onError as problem+json. */
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 404 | 405 | 500 | 503,
    detail: string,
    readonly parameter?: string,
    /** Seconds after which a 503 may be retried (sent as Retry-After). */
    readonly retryAfter?: number,
  ) {
    super(detail);
  }

  toProblem(instance?: string): Problem {
    const [slug, title] = TITLES[this.status] ?? TITLES[500]!;
    return {
      type: `https://litreview.dev/problems/${slug}`,
      title,
      status: this.status,
      detail: this.message,
      ...(this.parameter ? { parameter: this.parameter } : {}),
      ...(instance ? { instance } : {}),
    };
  }
}

export const problemResponse = (description: string) => ({
  content: { "application/problem+json": { schema: ProblemSchema } },
  description,
});
