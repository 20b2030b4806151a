import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.js";
import { seededApp } from "../helpers/seeded.js";

let app: App;
beforeAll(() => {
  app = seededApp().app;
});

const hostile = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: "grapheme", maxLength: 50 }),
  fc.constantFrom("'; drop table studies; --", "%00", "lung\u0000", "../../etc/passwd", "<script>", "ＬＵＮＧ", "", " ", "kidney"),
);

describe("the brief never answers 5xx, whatever the query", () => {
  it("random and hostile organ/format values and stray parameters get 200 or a problem+json 400", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("/v1/brief", "/brief"),
        hostile,
        fc.option(fc.constantFrom("json", "markdown", "html", "pdf", "", "HTML"), { nil: undefined }),
        fc.option(fc.tuple(hostile, hostile), { nil: undefined }),
        async (path, organ, format, extra) => {
          const qs = new URLSearchParams({ organ });
          if (format !== undefined) qs.append("format", format);
          if (extra) qs.append(extra[0], extra[1]);
          const res = await app.request(`${path}?${qs}`);
          expect(res.status, `${path}?${qs}`).toBeLessThan(500);
          if (res.status !== 200) {
            expect(res.status).toBe(400);
            expect(res.headers.get("content-type")).toBe("application/problem+json");
          }
        },
      ),
      { numRuns: 60 },
    );
  }, 60_000);
});
