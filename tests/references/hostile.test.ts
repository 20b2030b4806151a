import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.js";
import type { Db } from "../../src/db/client.js";
import { seededApp } from "../helpers/seeded.js";

let app: App;
let db: Db;
beforeAll(() => {
  ({ app, db } = seededApp());
});

const hostileValue = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ maxLength: 12 }),
  fc.integer().map(String),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
  fc.double().map(String),
  fc.constantFrom("", " ", "%", "_", "\\", "' OR 1=1 --", '"; DROP TABLE works; --', "NaN", "Infinity", "-0", "1e309", "0x10", "true", "null"),
  fc.string({ minLength: 2000, maxLength: 5000 }),
);

/** Query strings mixing each endpoint's real parameters (repeated or not) with made-up ones. */
const queryString = (names: string[]) =>
  fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 8 })), hostileValue), { maxLength: 6 })
    .map((pairs) => {
      const params = new URLSearchParams();
      for (const [k, v] of pairs) params.append(k, v);
      return params.toString();
    });

const ENDPOINTS: [string, string[]][] = [
  ["/v1/references", ["q", "year", "cited", "review", "limit", "cursor", "format"]],
  ["/v1/methods", ["review"]],
  ["/v1/methods/equations", ["review"]],
  ["/v1/methods/convolution-output-size", ["t", "k", "p", "s", "d"]],
];

const counts = () =>
  db.$client.prepare("select (select count(*) from works) w, (select count(*) from work_entries) e, (select count(*) from method_items) m").get();

describe("hostile query strings never produce a 5xx", () => {
  it.each(ENDPOINTS)("%s", async (path, names) => {
    const before = counts();
    await fc.assert(
      fc.asyncProperty(queryString(names), async (qs) => {
        const res = await app.request(`${path}?${qs}`);
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) expect(res.headers.get("content-type")).toBe("application/problem+json");
        await res.arrayBuffer();
      }),
      { numRuns: 150 },
    );
    expect(counts()).toEqual(before);
  });

  it("path ids and kinds of any shape are a 400 or 404, never a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: "binary", maxLength: 30 }), fc.bigInt().map(String)), async (segment) => {
        for (const base of ["/v1/references/", "/v1/methods/"]) {
          const res = await app.request(base + encodeURIComponent(segment));
          expect(res.status).toBeLessThan(500);
        }
      }),
      { numRuns: 150 },
    );
  });
});
