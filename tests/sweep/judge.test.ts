import { describe, expect, it } from "vitest";
import { forgeCursors } from "../../src/bench/sweep-cases.js";
import { judge, runSweep } from "../../src/bench/sweep.js";

/** The sweep's checks catch what they are meant to: otherwise a clean sweep would prove nothing. */
const op = {
  responses: {
    "200": { content: { "application/json": {}, "text/csv": {} } },
    "400": { content: { "application/problem+json": {} } },
  },
};
const problem = (status: number) => JSON.stringify({ type: "about:blank", title: "x", status, detail: "why" });

describe("judge", () => {
  it("passes a documented 200 that parses, and a 4xx problem whose status matches", () => {
    expect(judge(200, "application/json; charset=utf-8", '{"a":1}', false, op)).toBeNull();
    expect(judge(200, "text/csv; charset=utf-8", "id,organ\n1,brain\n", false, op)).toBeNull();
    expect(judge(400, "application/problem+json", problem(400), false, op)).toBeNull();
    expect(judge(404, "application/problem+json", problem(404), false, op)).toBeNull();
  });

  it("fails every 5xx, even a well-formed problem", () => {
    expect(judge(500, "application/problem+json", problem(500), false, op)).toMatch(/^status 500/);
    expect(judge(503, "application/problem+json", problem(503), false, op)).toMatch(/^status 503/);
  });

  it("fails a 4xx that is not problem+json or whose body disagrees", () => {
    expect(judge(400, "application/json", problem(400), false, op)).toMatch(/not application\/problem\+json/);
    expect(judge(400, "application/problem+json", problem(404), false, op)).toMatch(/says status 404/);
    expect(judge(400, "application/problem+json", "not json", false, op)).toMatch(/says status undefined/);
  });

  it("fails a 2xx of an undocumented type, or one that does not parse as its type", () => {
    expect(judge(200, "text/html", "<html></html>", false, op)).toMatch(/documented: application\/json, text\/csv/);
    expect(judge(200, "application/json", "{", false, op)).toMatch(/does not parse/);
    expect(judge(200, "text/csv", "", false, op)).toMatch(/csv without a header/);
    expect(judge(200, "application/x-bibtex", "hello", false, undefined)).toMatch(/bibtex/);
    expect(judge(200, "application/x-research-info-systems", "@article{", false, undefined)).toMatch(/ris/);
    expect(judge(200, "text/html", "plain", false, undefined)).toMatch(/html/);
  });
});

describe("runSweep", () => {
  it("records a request that outlives its timeout as no answer, and stops starting requests after the budget", async () => {
    const never = (_path: string, signal: AbortSignal) =>
      new Promise<Response>((_resolve, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
    const doc = { paths: {} };
    const report = await runSweep(never, doc, [{ path: "/a", template: "/a", kind: "single" }, { path: "/b", template: "/b", kind: "single" }], { timeoutMs: 50, budgetMs: 10 });
    expect(report.outcomes).toHaveLength(1);
    expect(report.outcomes[0]).toMatchObject({ path: "/a", status: 0, problem: "no answer within 50 ms" });
    expect(report.notRun).toBe(1);
  });
});

describe("forgeCursors", () => {
  it("alters a studies cursor in its sort, key and id, and a references cursor in its id", () => {
    const dec = (c: string) => {
      try {
        return JSON.parse(Buffer.from(c, "base64url").toString("utf8"));
      } catch {
        return undefined;
      }
    };
    const studies = forgeCursors(Buffer.from(JSON.stringify(["year", 2016, 3])).toString("base64url")).map(dec);
    expect(studies).toContainEqual(["year", 2016, -1]);
    expect(studies).toContainEqual(["-year", 2016, 3]);
    expect(studies).toContainEqual(["year", 2016]);
    const references = forgeCursors(Buffer.from(JSON.stringify({ id: 2 })).toString("base64url")).map(dec);
    expect(references).toContainEqual({ id: -1 });
    expect(references).toContainEqual({ id: "x" });
  });
});

describe("runSweep's bound per path", () => {
  it("stops asking a path that went unanswered maxTimeoutsPerPath times, and says so", async () => {
    const fetcher = (path: string, signal: AbortSignal) =>
      path.startsWith("/slow")
        ? new Promise<Response>((_resolve, reject) => signal.addEventListener("abort", () => reject(signal.reason)))
        : Promise.resolve(new Response("{}", { headers: { "content-type": "application/json" } }));
    const cases = ["/slow?a=1", "/fast", "/slow?a=2", "/slow?a=3"].map((path) => ({ path, template: path.split("?")[0]!, kind: "single" as const }));
    const report = await runSweep(fetcher, { paths: {} }, cases, { timeoutMs: 20, maxTimeoutsPerPath: 1 });
    expect(report.outcomes.map((o) => [o.path, o.status])).toEqual([["/slow?a=1", 0], ["/fast", 200]]);
    expect(report.skipped.map((c) => c.path)).toEqual(["/slow?a=2", "/slow?a=3"]);
    expect(report.notRun).toBe(0);
  });
});
