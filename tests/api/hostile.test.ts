import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.js";
import { seededApp } from "../helpers/seeded.js";

/**
 * Property: no query string, however hostile, gets a 5xx from the query endpoints. Every answer
 * is a 2xx/304 with a body of the declared type, or a 4xx problem+json.
 */
let app: App;
beforeAll(() => {
  app = seededApp().app;
});

const ENDPOINTS = ["/v1/studies", "/v1/stats", "/v1/trends", "/v1/recommendations"];
const KEYS = [
  "review", "organ", "strategy", "backbone", "condition", "modality", "year_from", "year_to", "accuracy_min",
  "accuracy_max", "q", "sort", "limit", "cursor", "format", "group_by", "metric", "series",
];
const HOSTILE = [
  "' OR 1=1 --", "\"; DROP TABLE studies; --", "%", "_", "\\", "*", "NEAR(", "\"", "brain\" OR \"", "1e999", "-1e999", "NaN",
  "Infinity", "-0", "0x10", "9007199254740993", "-9999999999999999999999", "2019.5", " 2019 ", "", "null", "[]", "{}",
  "\u0000", "\u202e", "脑肿瘤", "🧠🫀", "e\u0301", "a".repeat(5000), "organ,organ,organ", "year,-year", "-accuracy",
  "fine-tuning", "brain", "VGG-16", "csv", "WyJ5ZWFyIiwyMDE2LDNd", "WyJpZCIsbnVsbCwtMV0", "eyJ4IjoxfQ",
];

const key = fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 12 }));
const value = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 40 }), fc.string({ unit: "binary", maxLength: 20 }), fc.integer().map(String), fc.double().map(String));
// Pairs are encoded, or left raw to produce broken percent-escapes and stray separators.
const pair = fc.tuple(key, value, fc.boolean()).map(([k, v, raw]) => (raw ? `${k}=${v}` : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`));
const queryString = fc.array(pair, { maxLength: 6 }).map((pairs) => pairs.join("&"));

async function assertSane(path: string) {
  const res = await app.request(path);
  expect(res.status, path).toBeLessThan(500);
  const type = res.headers.get("content-type") ?? "";
  if (res.status >= 400) {
    expect(type, path).toBe("application/problem+json");
    const body = (await res.json()) as { status: number; detail: string };
    expect(body.status).toBe(res.status);
    expect(body.detail.length).toBeLessThan(2000);
  } else if (type.startsWith("application/json")) {
    await res.json();
  } else {
    expect(type, path).toBe("text/csv; charset=utf-8");
  }
}

describe("hostile query strings", () => {
  it.each(ENDPOINTS)("%s never answers 5xx", async (endpoint) => {
    await fc.assert(
      fc.asyncProperty(queryString, async (qs) => {
        let path: string;
        try {
          path = `${endpoint}?${qs}`;
          new URL(path, "http://localhost");
        } catch {
          return; // not a URL a client could send
        }
        await assertSane(path);
      }),
      { numRuns: 150 },
    );
  });

  it.each(ENDPOINTS)("%s survives every hostile value in every parameter, and repeated parameters", async (endpoint) => {
    for (const k of KEYS) {
      for (const v of HOSTILE) await assertSane(`${endpoint}?${k}=${encodeURIComponent(v)}`);
      await assertSane(`${endpoint}?${k}=a&${k}=b`);
    }
  });

  it("/v1/studies/{id} never answers 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom(...HOSTILE), fc.double().map(String)), async (id) => {
        await assertSane(`/v1/studies/${encodeURIComponent(id)}`);
      }),
      { numRuns: 150 },
    );
  });

  it("a page walk with a tampered cursor key is still a 2xx or 4xx", async () => {
    for (const sort of ["year", "-accuracy", "organ"]) {
      for (const key of [null, "x", 1e308, -1, "'; --"]) {
        const cursor = Buffer.from(JSON.stringify([sort, key, 3])).toString("base64url");
        await assertSane(`/v1/studies?sort=${sort}&cursor=${cursor}`);
      }
    }
  });
});
