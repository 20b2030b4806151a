import { readFileSync } from "node:fs";
import { join } from "node:path";
import { and, count, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_DATA_DIR } from "../../src/config.js";
import type { Db } from "../../src/db/client.js";
import { citationLinks, corrections, methodItems, studies, studyBackbones, studyResults, workEntries, works } from "../../src/db/schema.js";
import { seededDb } from "../helpers/seeded.js";

let db: Db;
beforeAll(() => {
  db = seededDb();
});

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const accuracyByOrgan = () =>
  db
    .select({ organ: studies.organ, value: studyResults.value })
    .from(studies)
    .innerJoin(studyResults, and(eq(studyResults.studyId, studies.id), eq(studyResults.metric, "accuracy")))
    .all();

describe("studies", () => {
  it("holds the 24 table rows: brain 8, heart 6, breast 6, lung 4", () => {
    const rows = db.select({ organ: studies.organ, n: count() }).from(studies).groupBy(studies.organ).all();
    expect(Object.fromEntries(rows.map((r) => [r.organ, r.n]))).toEqual({ brain: 8, heart: 6, breast: 6, lung: 4 });
  });

  it("normalizes strategies: 13 feature extraction, 10 fine-tuning, 1 combined", () => {
    const rows = db.select({ strategy: studies.strategy, n: count() }).from(studies).groupBy(studies.strategy).all();
    expect(Object.fromEntries(rows.map((r) => [r.strategy, r.n]))).toEqual({
      "feature-extraction": 13,
      "fine-tuning": 10,
      combined: 1,
    });
  });

  it("has per-organ accuracy medians 97.475 brain, 96.55 heart, 95 breast, 86.01 lung", () => {
    const rows = accuracyByOrgan();
    const by = (organ: string) => rows.filter((r) => r.organ === organ).map((r) => r.value!);
    expect(median(by("brain"))).toBeCloseTo(97.475, 6);
    expect(median(by("heart"))).toBeCloseTo(96.55, 6);
    expect(median(by("breast"))).toBeCloseTo(95, 6);
    expect(median(by("lung"))).toBeCloseTo(86.01, 6);
    expect(rows).toHaveLength(24);
  });

  it("keeps both ends of the range row (Table 3 row 3) and its printed text", () => {
    const row = db
      .select({ value: studyResults.value, low: studyResults.low, high: studyResults.high, text: studyResults.text })
      .from(studyResults)
      .innerJoin(studies, eq(studies.id, studyResults.studyId))
      .where(and(eq(studies.sourceTable, "Table 3"), eq(studies.sourceRow, 3)))
      .get();
    expect(row).toEqual({ value: 96.085, low: 95.5, high: 96.67, text: "95.5% to 96.67% depending on methods" });
  });

  it("stores accuracy as one metric among others, not as a column", () => {
    const metrics = db.selectDistinct({ metric: studyResults.metric }).from(studyResults).all();
    expect(metrics).toEqual([{ metric: "accuracy" }]);
    expect(Object.keys(studies)).not.toContain("accuracy");
  });

  it("records backbones by canonical name, several per study where printed", () => {
    const rows = db.select({ backbone: studyBackbones.backbone, n: count() }).from(studyBackbones).groupBy(studyBackbones.backbone).all();
    expect(Object.fromEntries(rows.map((r) => [r.backbone, r.n]))).toEqual({
      "VGG-16": 4,
      "VGG-19": 2,
      AlexNet: 2,
      GoogLeNet: 2,
      ResNet: 2,
      "Inception-v2": 1,
      "Inception-ResNet-v2": 1,
    });
    const lakshmi = db.select({ id: studies.id }).from(studies).where(and(eq(studies.sourceTable, "Table 4"), eq(studies.sourceRow, 3))).get();
    const names = db.select({ b: studyBackbones.backbone }).from(studyBackbones).where(eq(studyBackbones.studyId, lakshmi!.id)).all();
    expect(names.map((n) => n.b).sort()).toEqual(["VGG-16", "VGG-19"]);
  });

  it("records the modality only where a confirmed work's title names it, with the source", () => {
    const rows = db.select({ modality: studies.modality, n: count() }).from(studies).groupBy(studies.modality).all();
    expect(Object.fromEntries(rows.map((r) => [r.modality ?? "unknown", r.n]))).toEqual({
      MRI: 3,
      ECG: 3,
      "heart rate": 1,
      mammography: 2,
      ultrasound: 1,
      histopathology: 1,
      unknown: 13,
    });
    const liu = db.select().from(studies).where(and(eq(studies.sourceTable, "Table 1"), eq(studies.sourceRow, 2))).get();
    expect(liu?.modality).toBe("MRI");
    expect(liu?.modalitySource).toBe('reference title: "magnetic resonance"');
  });

  it("keeps the printed condition beside the cleaned one", () => {
    const row = db.select().from(studies).where(and(eq(studies.sourceTable, "Table 2"), eq(studies.sourceRow, 6))).get();
    expect(row).toMatchObject({ conditionPrinted: "Atrial Fibrillation", condition: "atrial fibrillation", organ: "heart", year: 2020 });
  });

  it("does not contain the journal template's example table", () => {
    const hits = db
      .select({ n: count() })
      .from(studies)
      .where(sql`${studies.conditionPrinted} in ('Username','Password','Name','Email','Phone') or ${studies.methodText} like '%Varchar%'`)
      .get();
    expect(hits?.n).toBe(0);
    const note = db.select().from(corrections).where(eq(corrections.location, "Section F (Research Method)")).get();
    expect(note?.corrected).toBe("not loaded");
  });
});

describe("works (the reference list)", () => {
  it("merges the six entries printed twice: 59 printed entries become 53 works", () => {
    expect(db.select({ n: count() }).from(workEntries).get()?.n).toBe(59);
    expect(db.select({ n: count() }).from(works).get()?.n).toBe(53);
    const twice = db
      .select({ workId: workEntries.workId, numbers: sql<string>`group_concat(${workEntries.printedNumber}, ',')` })
      .from(workEntries)
      .groupBy(workEntries.workId)
      .having(sql`count(*) > 1`)
      .all();
    expect(twice.map((t) => t.numbers).sort()).toEqual(["10,14", "11,16", "12,17", "26,52", "34,57", "8,13"]);
  });

  it("keeps the unnumbered entry and drops the empty bullet", () => {
    const unnumbered = db.select().from(workEntries).where(sql`${workEntries.printedNumber} is null`).all();
    expect(unnumbered).toHaveLength(1);
    const work = db.select().from(works).where(eq(works.id, unnumbered[0]!.workId)).get();
    expect(work).toMatchObject({ year: 2019, title: "A deep CNN based transfer learning method for false positive reduction" });
    expect(db.select({ n: count() }).from(workEntries).where(eq(workEntries.raw, "")).get()?.n).toBe(0);
  });

  it("applies the curated overrides, each of which has a reason", () => {
    const hussein = db.select().from(works).where(sql`${works.title} like 'Lung and pancreatic%'`).get();
    expect(hussein?.authors).toEqual(["Hussein S", "Kandel P", "Bolan CW", "Wallace MB", "Bagci U"]);
    const xception = db.select().from(works).where(sql`${works.raw} like 'Chollet%'`).get();
    expect(xception?.title).toBe("Xception: Deep Learning with Depthwise Separable Convolutions");
  });

  it("flags the ten entries unrelated to medical imaging", () => {
    expect(db.select({ n: count() }).from(works).where(eq(works.offTopic, true)).get()?.n).toBe(10);
  });
});

describe("citation links", () => {
  it("links every study, with the number printed in its table", () => {
    const rows = db.select().from(citationLinks).all();
    expect(rows).toHaveLength(24);
    expect(rows.every((r) => r.workId !== null && r.evidence.length > 0)).toBe(true);
    const printed = db
      .select({ table: studies.sourceTable, row: studies.sourceRow, printed: citationLinks.printedNumber })
      .from(citationLinks)
      .innerJoin(studies, eq(studies.id, citationLinks.studyId))
      .all();
    expect(printed.find((p) => p.table === "Table 4" && p.row === 4)?.printed).toBe(43);
  });

  it("has 22 confirmed links (19 high, 3 medium confidence) and 2 uncertain ones, as CITATIONS.md says", () => {
    const rows = db
      .select({ status: citationLinks.status, confidence: citationLinks.confidence, n: count() })
      .from(citationLinks)
      .groupBy(citationLinks.status, citationLinks.confidence)
      .all();
    expect(rows.map((r) => `${r.status}/${r.confidence}=${r.n}`).sort()).toEqual(["linked/high=19", "linked/medium=3", "uncertain/low=2"]);
  });

  it("marks the two doubtful links as uncertain with a reason", () => {
    const rows = db
      .select({ table: studies.sourceTable, row: studies.sourceRow, reason: citationLinks.reason, confidence: citationLinks.confidence })
      .from(citationLinks)
      .innerJoin(studies, eq(studies.id, citationLinks.studyId))
      .where(eq(citationLinks.status, "uncertain"))
      .all();
    expect(rows.map((r) => `${r.table}/${r.row}`).sort()).toEqual(["Table 1/3", "Table 1/7"]);
    expect(rows.every((r) => r.confidence === "low" && (r.reason ?? "").length > 20)).toBe(true);
  });

  it("resolves printed numbers by the documented offsets: +3 in Tables 1-3, +6/+7 and the unnumbered entry in Table 4", () => {
    const rows = db
      .select({ table: studies.sourceTable, printed: citationLinks.printedNumber, listed: workEntries.printedNumber })
      .from(citationLinks)
      .innerJoin(studies, eq(studies.id, citationLinks.studyId))
      .innerJoin(workEntries, eq(workEntries.workId, citationLinks.workId))
      .all();
    // A merged work has two printed numbers; the link uses the later printing for Tables 1-3.
    for (const table of ["Table 1", "Table 2", "Table 3"]) {
      const ofTable = rows.filter((r) => r.table === table);
      const studiesInTable = new Set(ofTable.map((r) => r.printed));
      for (const printed of studiesInTable) {
        expect(ofTable.some((r) => r.printed === printed && r.listed === printed! + 3)).toBe(true);
      }
    }
    const t4 = rows.filter((r) => r.table === "Table 4").map((r) => [r.printed, r.listed]);
    expect(t4).toEqual([
      [40, 46],
      [41, 47],
      [42, 49],
      [43, null],
    ]);
  });
});

describe("methods knowledge", () => {
  it("loads Tables 5 and 6, the transfer categories, models, activations and equations", () => {
    const rows = db.select({ kind: methodItems.kind, n: count() }).from(methodItems).groupBy(methodItems.kind).all();
    expect(Object.fromEntries(rows.map((r) => [r.kind, r.n]))).toEqual({
      activations: 4,
      "convolution-variants": 5,
      equations: 6,
      "pooling-methods": 4,
      "pretrained-models": 5,
      "transfer-categories": 4,
    });
    const dilated = db.select().from(methodItems).where(eq(methodItems.slug, "dilated-output-size")).get();
    expect(dilated?.attributes).toMatchObject({ equation_number: "17" });
  });
});

describe("corrections", () => {
  it("lists every correction made to the printed review, each with a reason", () => {
    const file = readFileSync(join(DEFAULT_DATA_DIR, "dlmia-2024", "corrections.tsv"), "utf8").trim().split("\n");
    const rows = db.select().from(corrections).all();
    expect(rows).toHaveLength(file.length - 1);
    expect(rows.find((r) => r.location === "Table 4 caption")?.printed).toContain("Lugn");
    expect(rows.every((r) => r.reason.length > 0)).toBe(true);
  });
});
