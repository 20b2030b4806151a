import { beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.js";
import { seededApp } from "../helpers/seeded.js";

/** The one error shape (RFC 9457), pinned here for every kind of failure this API answers. */
let app: App;
beforeAll(() => {
  app = seededApp().app;
});

async function problem(path: string) {
  const res = await app.request(path);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("problem+json", () => {
  it("a bad parameter: 400 with type, title, status, detail, parameter and instance, nothing else", async () => {
    const { status, body } = await problem("/v1/studies?limit=9999");
    expect(status).toBe(400);
    expect(Object.keys(body).sort()).toEqual(["detail", "instance", "parameter", "status", "title", "type"]);
    expect(body).toMatchObject({
      type: "https://litreview.dev/problems/invalid-parameter",
      title: "Invalid request",
      status: 400,
      parameter: "limit",
      instance: "/v1/studies",
    });
    expect(body.detail).toMatch(/^limit: /);
  });

  it("an unknown parameter: 400 naming it and listing the accepted ones", async () => {
    const { status, body } = await problem("/v1/stats?group_by=organ&orgna=brain");
    expect(status).toBe(400);
    expect(body.parameter).toBe("orgna");
    expect(body.detail).toBe(
      'Unknown query parameter "orgna"; this endpoint accepts: review, organ, strategy, backbone, condition, modality, year_from, year_to, accuracy_min, accuracy_max, q, group_by, metric, format',
    );
  });

  it("several unknown parameters are all named", async () => {
    const { body } = await problem("/v1/trends?serie=organ&yr=2019");
    expect(body.detail).toMatch(/^Unknown query parameters "serie", "yr";/);
  });

  it("a missing study: 404 not-found", async () => {
    const { status, body } = await problem("/v1/studies/4242");
    expect(status).toBe(404);
    expect(body).toMatchObject({ type: "https://litreview.dev/problems/not-found", title: "Not found", status: 404, detail: "No study with id 4242" });
  });

  it("a missing route: 404 not-found", async () => {
    const { status, body } = await problem("/v1/nothing-here");
    expect(status).toBe(404);
    expect(body.status).toBe(404);
  });

  it.each([
    ["/v1/studies?strategy=transfer", "strategy"],
    ["/v1/studies?year_from=20x9", "year_from"],
    ["/v1/studies?accuracy_min=101", "accuracy_min"],
    ["/v1/studies?sort=accuracy;drop%20table%20studies", "sort"],
    ["/v1/studies?organ=brain&organ=heart", "organ"],
    ["/v1/studies?format=xml", "format"],
    ["/v1/studies?review=nope", "review"],
    ["/v1/stats?review=nope", "review"],
    ["/v1/trends?year_to=1e999", "year_to"],
    ["/v1/recommendations?organ=", "organ"],
  ])("%s is a 400 naming %s", async (path, parameter) => {
    const { status, body } = await problem(path);
    expect(status).toBe(400);
    expect(body.parameter).toBe(parameter);
  });
});
