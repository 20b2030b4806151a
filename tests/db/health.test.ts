import { describe, expect, it } from "vitest";
import { seededApp } from "../helpers/seeded.js";

describe("GET /health", () => {
  it("answers 200 with the loaded counts", async () => {
    const { app } = seededApp();
    const res = await app.request("/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", reviews: 1, studies: 24, works: 53, failures: [] });
  });
});
