/**
 * The dashboard's only way to the data: the public query API, fetched like any other client.
 * The shapes below are the parts of the /v1 answers the page reads.
 */

export type Accuracy = { value: number | null; low: number | null; high: number | null; text: string };
export type Study = {
  id: number;
  organ: string;
  condition: string;
  strategy: string | null;
  backbones: string[];
  year: number | null;
  modality: string | null;
  accuracy: Accuracy | null;
  method_text: string;
  citation: { printed: string; reference_id: number | null; confidence: string; evidence: string[] } | null;
  source: { table: string; row: number };
};
export type StudyPage = { meta: { count: number; limit: number; next_cursor: string | null }; results: Study[] };
export type AccuracyStats = { n: number; n_missing: number; mean: number | null; median: number | null; q1: number | null; q3: number | null; min: number | null; max: number | null };
export type StatsGroup = { key: Record<string, string | number | null>; key_display_name?: string; count: number; accuracy: AccuracyStats };
export type Stats = { meta: { count: number }; groups: StatsGroup[] };

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
