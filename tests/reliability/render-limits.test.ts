import { describe, expect, it } from "vitest";
import { ApiError } from "../../src/api/problem.js";
import { renderCache } from "../../src/api/render-cache.js";
import { renderQueue } from "../../src/api/render-queue.js";
import { seededApp, seededDb } from "../helpers/seeded.js";

describe("render queue", () => {
  it("runs one render at a time, lets a bounded number wait, and refuses the rest with a 503 and Retry-After", async () => {
    const queue = renderQueue({ concurrency: 1, maxWaiting: 2, retryAfterSeconds: 3 });
    let running = 0;
    let most = 0;
    const gates: (() => void)[] = [];
    const task = () =>
      new Promise<number>((resolve) => {
        running++;
        most = Math.max(most, running);
        gates.push(() => {
          running--;
          resolve(1);
        });
      });
    const accepted = [queue(task), queue(task), queue(task)];
    const refused = await queue(task).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 503, retryAfter: 3 });
    // Let each render finish in turn; the next starts only then.
    for (let i = 0; i < 3; i++) {
      while (gates.length === 0) await new Promise((r) => setImmediate(r));
      gates.shift()!();
    }
    expect(await Promise.all(accepted)).toEqual([1, 1, 1]);
    expect(most).toBe(1);
    // Slots come back: a new render is accepted.
    const again = queue(async () => 2);
    expect(await again).toBe(2);
  });

  it("a 503 from the brief is a problem+json with Retry-After", async () => {
    const { app } = seededApp();
    // Forty distinct briefs at once: one renders, eight wait, the rest are told when to come back.
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => app.request(`/v1/brief?format=markdown&organ=organ-${i}`)));
    const busy = answers.filter((r) => r.status === 503);
    expect(answers.every((r) => r.status === 200 || r.status === 503)).toBe(true);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy[0]!.headers.get("retry-after")).toBe("2");
    expect(busy[0]!.headers.get("content-type")).toBe("application/problem+json");
  });
});

describe("render cache", () => {
  it("shares one render between identical requests and renders again after the data changes", async () => {
    const db = seededDb();
    const cache = renderCache();
    let renders = 0;
    const render = async () => `v${++renders}`;
    const [a, b] = await Promise.all([cache(db, "k", render), cache(db, "k", render)]);
    expect([a, b, renders]).toEqual(["v1", "v1", 1]);
    db.$client.prepare("update studies set year = 2021 where id = 24").run();
    expect(await cache(db, "k", render)).toBe("v2");
  });

  it("holds at most maxBytes of text: the least recently used answer goes first; one over maxEntryBytes is not kept", async () => {
    const db = seededDb();
    // 30 characters are 60 bytes: two fit in 130 bytes, three do not.
    const cache = renderCache({ maxBytes: 130, maxEntryBytes: 80 });
    const renders: string[] = [];
    const render = (key: string, length = 30) => () => {
      renders.push(key);
      return Promise.resolve(key.repeat(length));
    };
    await cache(db, "a", render("a"));
    await cache(db, "b", render("b"));
    await cache(db, "a", render("a")); // a hit: now the most recently used
    await cache(db, "c", render("c")); // 180 bytes: b goes
    await cache(db, "a", render("a"));
    await cache(db, "b", render("b"));
    expect(renders).toEqual(["a", "b", "c", "b"]);
    await cache(db, "big", render("d", 50)); // 100 bytes: over maxEntryBytes
    await cache(db, "big", render("d", 50));
    expect(renders.filter((k) => k === "d")).toHaveLength(2);
  });

  it("forgets a failed render", async () => {
    const db = seededDb();
    const cache = renderCache();
    await expect(cache(db, "k", async () => Promise.reject(new Error("busy")))).rejects.toThrow("busy");
    expect(await cache(db, "k", async () => "ok")).toBe("ok");
  });
});
