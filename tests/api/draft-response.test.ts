import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { draftBody, draftResponse, getHeader, sendDrafts, setHeader } from "../../src/api/draft-response.js";

const bytes = (s: string) => Buffer.from(s);

// A draft keeps its headers in a plain record until the outermost middleware builds the Response:
// a header set by a middleware in between must reach the client, whatever its case.
describe("a drafted answer", () => {
  it("carries every header set through setHeader, and its body, once sent", async () => {
    const app = new Hono();
    app.use("*", sendDrafts());
    app.use("*", async (c, next) => {
      await next();
      setHeader(c.res, "X-Outer", getHeader(c.res, "X-Inner") === "1" ? "saw inner" : "missed inner");
    });
    app.use("*", async (c, next) => {
      await next();
      setHeader(c.res, "X-Inner", "1");
      setHeader(c.res, "Content-Type", "application/json; charset=utf-8");
    });
    app.get("/", () => draftResponse(bytes('{"a":"é"}'), 201, { "content-type": "application/json" }));
    const res = await app.request("/");
    expect(res.status).toBe(201);
    expect(res.headers.get("x-inner")).toBe("1");
    expect(res.headers.get("x-outer")).toBe("saw inner");
    // Set twice in different case: one header, the last value.
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await res.text()).toBe('{"a":"é"}');
  });

  it("is told apart from an ordinary Response, whose headers are set as usual", () => {
    const draft = draftResponse(bytes("x"), 200, {});
    const plain = new Response("x", { headers: { "Content-Type": "text/plain" } });
    expect(draftBody(draft)?.byteLength).toBe(1);
    expect(draftBody(plain)).toBeUndefined();
    setHeader(plain, "X-Set", "yes");
    expect(plain.headers.get("x-set")).toBe("yes");
    expect(getHeader(plain, "content-type")).toBe("text/plain");
    expect(getHeader(draft, "x-set")).toBeNull();
  });
});
