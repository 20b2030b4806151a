import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { seededDb } from "../helpers/seeded.js";

/** /health's counts: the works are counted once per data version, and follow every write. */
describe("/health", () => {
  it("counts the works again after a write, with the caches off too", async () => {
    const db = seededDb();
    const app = createApp({ db, cache: false });
    const works = async () => ((await (await app.request("/health")).json()) as { works: number }).works;
    expect(await works()).toBe(53);
    expect(await works()).toBe(53);
    const { lastInsertRowid } = db.$client.prepare("INSERT INTO works (review_id, authors, title, raw) VALUES ('dlmia-2024', '[]', 'An extra work', 'An extra work')").run();
    expect(await works()).toBe(54);
    db.$client.prepare("DELETE FROM works WHERE id = ?").run(lastInsertRowid);
    expect(await works()).toBe(53);
  });
});
