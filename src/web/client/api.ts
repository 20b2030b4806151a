/**
 * The dashboard's only way to the data: the public query API, fetched like any other client.
 * The answer types are the API's own (inferred from its zod schemas; type-only imports, so
 * nothing of the server is bundled).
 */
import type { RecommendationsAnswer } from "../../api/recommendations.js";
import type { StatsAnswer } from "../../api/stats.js";
import type { StudiesPage } from "../../api/studies.js";
import type { Reference } from "../../queries/references.js";
import type { Study } from "../../queries/study-schema.js";

export type { Reference, Study };
export type Accuracy = NonNullable<Study["accuracy"]>;
export type StudyPage = StudiesPage;
export type Stats = StatsAnswer;
export type StatsGroup = Stats["groups"][number];
export type AccuracyStats = StatsGroup["summary"];
export type Recommendations = RecommendationsAnswer;

/**
 * A page's count in words: "1 study", "24 studies", or "10,000+ studies" when the API stopped
 * counting (meta.count_is_lower_bound: a full-text search matching more than it counts).
 */
export function countText(meta: Pick<StudyPage["meta"], "count" | "count_is_lower_bound">): string {
  const n = `${meta.count.toLocaleString("en")}${meta.count_is_lower_bound ? "+" : ""}`;
  return `${n} ${meta.count === 1 && !meta.count_is_lower_bound ? "study" : "studies"}`;
}

/** An error the API answered with problem+json (or a failure to reach it at all). */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly url: string,
  ) {
    super(detail);
  }
}

export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: "application/json" }, signal });
  } catch (err) {
    if ((err as Error).name === "AbortError") throw err;
    throw new ApiProblem(0, "The API could not be reached", (err as Error).message, url);
  }
  if (!res.ok) {
    const problem = await res.json().catch(() => ({}) as Record<string, unknown>);
    throw new ApiProblem(
      res.status,
      String(problem.title ?? res.statusText),
      String(problem.detail ?? `HTTP ${res.status}`),
      url,
    );
  }
  return (await res.json()) as T;
}

/** Builds /v1/... URLs, leaving out empty parameters so the API's unknown/empty checks never fire. */
export function apiUrl(path: string, params: Record<string, string | number | null | undefined>): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== "") qs.set(k, String(v));
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}
