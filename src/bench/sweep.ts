import { OpenApiDoc, type Operation, type SweepCase, type SweepData } from "./sweep-cases.js";

/**
 * Runs the endpoint sweep and checks every answer: never ≥ 500, every 4xx a problem+json whose
 * status matches, every 2xx of a content type its operation documents and parsing as that type.
 * The same code drives app.request() in CI and fetch() against a server in `npm run sweep`.
 */

/** app.request or fetch against a base URL; the signal bounds one request. */
export type Fetcher = (path: string, signal: AbortSignal) => Promise<Response>;

export type Outcome = { path: string; template: string; status: number; ms: number; bytes: number; problem: string | null };
/** `skipped`: cases not sent because their path had already gone unanswered `maxTimeoutsPerPath` times. */
export type SweepReport = { outcomes: Outcome[]; notRun: number; skipped: SweepCase[]; ms: number };

// Downloads of a whole corpus can be hundreds of MB: beyond this the rest is not read (and not parsed).
const READ_CAP = 32 * 1024 * 1024;

async function readCapped(res: Response): Promise<{ text: string; bytes: number; capped: boolean }> {
  if (!res.body) return { text: "", bytes: 0, capped: false };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > READ_CAP) {
      await reader.cancel();
      return { text: Buffer.concat(chunks).toString("utf8"), bytes, capped: true };
    }
    chunks.push(value);
  }
  return { text: Buffer.concat(chunks).toString("utf8"), bytes, capped: false };
}

const json = (text: string) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

/** Why a 2xx body is not what its content type says, or null when it is. */
function badBody(type: string, text: string, capped: boolean): string | null {
  if (type === "application/json" || type.endsWith("+json")) {
    if (capped) return null; // too big to parse here; the start was read without error
    return json(text) === undefined ? `body does not parse as ${type}` : null;
  }
  const start = text.trimStart();
  switch (type) {
    case "text/csv": return start.length > 0 && start.split("\n", 1)[0]!.includes(",") ? null : "csv without a header line";
    case "text/html": return /<html[\s>]/i.test(start.slice(0, 2000)) ? null : "html without <html>";
    case "application/x-bibtex": return start === "" || start.startsWith("@") ? null : "bibtex not starting with @";
    case "application/x-research-info-systems": return start === "" || start.startsWith("TY  -") ? null : "ris not starting with TY  -";
    case "text/markdown": return start.length > 0 ? null : "empty markdown";
    default: return null;
  }
}

/** Why an answer breaks the contract, or null. */
export function judge(status: number, contentType: string, text: string, capped: boolean, op: Operation | undefined): string | null {
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  if (status >= 500) return `status ${status}: ${text.slice(0, 300)}`;
  if (status >= 400) {
    if (type !== "application/problem+json") return `${status} as ${type || "no content type"}, not application/problem+json`;
    const body = json(text) as { status?: unknown; detail?: unknown } | undefined;
    if (body?.status !== status) return `${status} problem whose body says status ${String(body?.status)}`;
    return typeof body.detail === "string" ? null : "problem without a detail";
  }
  if (status >= 300) return status === 304 ? null : `unexpected redirect ${status}`;
  const documented = op?.responses[String(status)]?.content;
  if (documented && !Object.hasOwn(documented, type)) return `${status} as ${type}, documented: ${Object.keys(documented).join(", ")}`;
  return badBody(type, text, capped);
}

/** Sends each case in turn until `budgetMs` has passed; a request that exceeds `timeoutMs` is an outcome with status 0. */
export async function runSweep(
  fetcher: Fetcher,
  doc: OpenApiDoc,
  cases: SweepCase[],
  {
    budgetMs = Infinity,
    timeoutMs = 60_000,
    onOutcome,
    afterTimeout,
    maxTimeoutsPerPath = Infinity,
  }: {
    budgetMs?: number;
    timeoutMs?: number;
    onOutcome?: (o: Outcome, i: number) => void;
    /** A server keeps working on a request its client gave up on: wait for it, or the next ones are charged for it. */
    afterTimeout?: () => Promise<void>;
    /** A path that went unanswered this often is not asked again: one slow route must not eat the budget. */
    maxTimeoutsPerPath?: number;
  } = {},
): Promise<SweepReport> {
  const started = performance.now();
  const outcomes: Outcome[] = [];
  const skipped: SweepCase[] = [];
  const timeouts = new Map<string, number>();
  let sent = 0;
  for (const c of cases) {
    if (performance.now() - started > budgetMs) break;
    sent++;
    if ((timeouts.get(c.template) ?? 0) >= maxTimeoutsPerPath) {
      skipped.push(c);
      continue;
    }
    const t = performance.now();
    let outcome: Outcome;
    try {
      const res = await fetcher(c.path, AbortSignal.timeout(timeoutMs));
      const { text, bytes, capped } = await readCapped(res);
      const problem = judge(res.status, res.headers.get("content-type") ?? "", text, capped, doc.paths[c.template]?.get);
      outcome = { path: c.path, template: c.template, status: res.status, ms: performance.now() - t, bytes, problem };
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
      outcome = { path: c.path, template: c.template, status: 0, ms: performance.now() - t, bytes: 0, problem: timedOut ? `no answer within ${timeoutMs} ms` : `request failed: ${String(err)}` };
    }
    outcomes.push(outcome);
    onOutcome?.(outcome, outcomes.length);
    if (outcome.status === 0) {
      timeouts.set(c.template, (timeouts.get(c.template) ?? 0) + 1);
      await afterTimeout?.();
    }
  }
  return { outcomes, notRun: cases.length - sent, skipped, ms: performance.now() - started };
}

const getJson = async (fetcher: Fetcher, path: string) => {
  const res = await fetcher(path, AbortSignal.timeout(120_000));
  if (res.status !== 200) throw new Error(`sweep discovery: ${path} answered ${res.status}`);
  return (await res.json()) as Record<string, unknown>;
};

/** The values the sweep feeds as valid ones, read from the API itself: a sweep of any corpus. */
export async function discoverData(fetcher: Fetcher): Promise<{ doc: OpenApiDoc; data: SweepData }> {
  const doc = OpenApiDoc.parse(await getJson(fetcher, "/openapi.json"));
  const results = async <T>(path: string) => (await getJson(fetcher, path)).results as T[];
  const keys = async (by: string) => {
    const { groups } = (await getJson(fetcher, `/v1/stats?group_by=${by}`)) as { groups: { key: Record<string, string | number | null> }[] };
    return groups.map((g) => g.key[by]).filter((k): k is string | number => k !== null && k !== undefined);
  };
  const reviews = (await results<{ id: string }>("/v1/reviews")).map((r) => r.id);
  const metrics = (await results<{ metric: string }>("/v1/metrics")).map((m) => m.metric);
  const studies = await results<{ id: number }>("/v1/studies?limit=5");
  const lastStudies = await results<{ id: number }>("/v1/studies?limit=5&sort=-year");
  const references = await results<{ id: number }>("/v1/references?limit=5");
  const data: SweepData = {
    reviews,
    metrics,
    organs: (await keys("organ")).map(String),
    backbones: (await keys("backbone")).map(String),
    modalities: (await keys("modality")).map(String),
    conditions: (await keys("condition")).map(String).slice(0, 40),
    years: (await keys("year")).map(Number).sort((a, b) => a - b),
    studyIds: [...studies, ...lastStudies].map((s) => s.id),
    referenceIds: references.map((r) => r.id),
    nextPages: [],
    cursors: [],
  };
  // Next pages: every sort, alone and under a filter, and the references' own cursor.
  const firstPages = ["id", "year", "-year", "accuracy", "-accuracy", "organ", "-organ"].flatMap((sort) => [
    `sort=${sort}&limit=3`,
    `sort=${sort}&limit=3&organ=${encodeURIComponent(data.organs[0] ?? "brain")}`,
    `sort=${sort}&limit=3&q=transfer`,
  ]);
  const pages = [...firstPages.map((q) => ({ path: "/v1/studies", q })), { path: "/v1/references", q: "limit=3" }, { path: "/v1/references", q: "limit=3&cited=true" }];
  for (const { path, q } of pages) {
    let query = q;
    // Two pages on: the second cursor comes from a page reached by a cursor.
    for (let i = 0; i < 2; i++) {
      const { meta } = (await getJson(fetcher, `${path}?${query}`)) as { meta: { next_cursor?: string | null } };
      if (!meta.next_cursor) break;
      query = `${q}&cursor=${encodeURIComponent(meta.next_cursor)}`;
      data.nextPages.push({ path, query });
      data.cursors.push(meta.next_cursor);
    }
  }
  return { doc, data };
}

/** Requests, by status class, the slowest, and every answer that broke the contract. */
export function summarize(report: SweepReport, slowest = 10): { lines: string[]; failures: Outcome[] } {
  const { outcomes } = report;
  const classes = new Map<string, number>();
  for (const o of outcomes) {
    const cls = o.status === 0 ? "no answer" : `${Math.floor(o.status / 100)}xx`;
    classes.set(cls, (classes.get(cls) ?? 0) + 1);
  }
  const failures = outcomes.filter((o) => o.problem !== null);
  const slow = [...outcomes].sort((a, b) => b.ms - a.ms).slice(0, slowest);
  const lines = [
    `requests: ${outcomes.length} in ${(report.ms / 1000).toFixed(1)} s${report.notRun ? ` (${report.notRun} not run: time budget)` : ""}`,
    `by status: ${[...classes].sort().map(([k, n]) => `${k} ${n}`).join(", ")}`,
    ...(report.skipped.length ? [`not asked after their path went unanswered: ${report.skipped.length} (${[...new Set(report.skipped.map((c) => c.template))].join(", ")})`] : []),
    `slowest ${slow.length}:`,
    ...slow.map((o) => `  ${o.ms.toFixed(0).padStart(7)} ms  ${o.status}  ${o.bytes} B  ${o.path.slice(0, 160)}`),
    `over 10 s: ${outcomes.filter((o) => o.ms > 10_000).length}`,
    `contract failures: ${failures.length}`,
    ...failures.map((o) => `  ${o.status}  ${o.path.slice(0, 160)}\n        ${o.problem?.slice(0, 300)}`),
  ];
  return { lines, failures };
}
