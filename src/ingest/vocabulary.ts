import { readFileSync } from "node:fs";
import { z } from "zod";
import type { Scale } from "./review-files.js";
import { parseTsv } from "./tsv.js";

/**
 * The synonym tables of data/vocabulary/: printed organ, strategy, backbone, metric and modality
 * words → one canonical name. The words are data (reviewable, with the other curated files); this
 * module only matches them. A printed value no row names is kept as printed and flagged
 * (`mapped: false`) so the caller can report it: never dropped, never collapsed into another name.
 */

export type Normalized = { value: string; mapped: boolean };
export type NormalizedMetric = Normalized & { scale: Scale | null; min: number | null; max: number | null };

const VOCABULARY_DIR = new URL("../../data/vocabulary/", import.meta.url);

/**
 * Case and separators never change a name's meaning in these tables ("Inception_ResNet_V2",
 * "inception resnet v2", "DenseNet-121" vs "densenet121"), so they are compared without them.
 */
export function matchKey(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
}

const synonyms = (s: string) =>
  s
    .split(";")
    .map((x) => x.trim())
    .filter(Boolean);

const Plain = z.object({ canonical: z.string().min(1), synonyms: z.string() });
const Backbone = Plain.extend({ family: z.string().min(1) });
const Metric = Plain.extend({
  scale: z.enum(["percent", "fraction", ""]),
  min: z.coerce.number(),
  max: z.coerce.number(),
});

type Table<T> = { byKey: Map<string, T & { canonical: string }>; rows: (T & { canonical: string })[] };

/** Reads one table; a word that would map to two different names is a data error, caught at load. */
function readTable<S extends typeof Plain>(file: string, schema: S): Table<z.infer<S>> {
  const text = readFileSync(new URL(file, VOCABULARY_DIR), "utf8");
  const rows = parseTsv(text).map((r, i) => {
    const parsed = schema.safeParse(r);
    if (!parsed.success) throw new Error(`data/vocabulary/${file} line ${i + 2}: ${z.prettifyError(parsed.error)}`);
    return parsed.data as z.infer<S>;
  });
  const byKey = new Map<string, z.infer<S>>();
  for (const row of rows) {
    for (const word of [row.canonical, ...synonyms(row.synonyms)]) {
      const key = matchKey(word);
      const taken = byKey.get(key);
      if (taken && taken.canonical !== row.canonical) {
        throw new Error(`data/vocabulary/${file}: "${word}" maps to both ${taken.canonical} and ${row.canonical}`);
      }
      byKey.set(key, row);
    }
  }
  return { byKey, rows };
}

// Read once, lazily: importing this module (the loader does) costs nothing until a word is matched.
let tables:
  | {
      organs: Table<z.infer<typeof Plain>>;
      strategies: Table<z.infer<typeof Plain>>;
      backbones: Table<z.infer<typeof Backbone>>;
      metrics: Table<z.infer<typeof Metric>>;
      modalities: Table<z.infer<typeof Plain>>;
    }
  | undefined;

function vocabulary() {
  tables ??= {
    organs: readTable("organs.tsv", Plain),
    strategies: readTable("strategies.tsv", Plain),
    backbones: readTable("backbones.tsv", Backbone),
    metrics: readTable("metrics.tsv", Metric),
    modalities: readTable("modalities.tsv", Plain),
  };
  return tables;
}

/** Whitespace inside a kept value is collapsed, so "Dense  Net" and "Dense Net" are one unmapped name. */
const tidy = (s: string) => s.trim().replace(/\s+/g, " ");

function lookup(table: Table<z.infer<typeof Plain>>, printed: string): Normalized {
  const hit = table.byKey.get(matchKey(printed));
  return hit ? { value: hit.canonical, mapped: true } : { value: tidy(printed), mapped: false };
}

export function normalizeOrgan(printed: string): Normalized {
  return lookup(vocabulary().organs, printed);
}

/** No strategy stated ("") is a fact, not an unmapped word. */
export function normalizeStrategy(printed: string): Normalized {
  if (tidy(printed) === "") return { value: "", mapped: true };
  return lookup(vocabulary().strategies, printed);
}

export function normalizeModality(printed: string): Normalized {
  return lookup(vocabulary().modalities, printed);
}

export function normalizeBackbone(printed: string): Normalized & { family: string | null } {
  const hit = vocabulary().backbones.byKey.get(matchKey(printed));
  if (hit) return { value: hit.canonical, mapped: true, family: hit.family };
  const value = tidy(printed);
  return { value, mapped: false, family: backboneFamily(value) };
}

/**
 * The family of a backbone name: from the table, or for a variant the table does not list
 * ("DenseNet-264", "ResNet-200") the family whose name it starts with, followed by a version
 * (a digit, "v2", "b8"). "ResNeXt-50" is not a ResNet: after "resne" comes "xt", not a version.
 */
export function backboneFamily(name: string): string | null {
  const { backbones } = vocabulary();
  const key = matchKey(name);
  const hit = backbones.byKey.get(key);
  if (hit) return hit.family;
  let best: string | null = null;
  for (const row of backbones.rows) {
    const family = matchKey(row.family);
    if (key.startsWith(family) && /^(\d|v\d|b\d)/.test(key.slice(family.length))) {
      if (best === null || family.length > matchKey(best).length) best = row.family;
    }
  }
  return best;
}

/**
 * One backbone cell naming several ("ResNet-50; DenseNet-121", "VGG16 + ResNet50", "A and B",
 * "A, B", "A & B") → the names. A slash is not a separator: "Inception/GoogLeNet" is one name as printed.
 */
export function splitBackbones(cell: string): string[] {
  return cell
    .split(/\s*(?:[;,+&]|\band\b)\s*/i)
    .map(tidy)
    .filter(Boolean);
}

/** A name for a metric the table does not know: lower case, words joined by "-" ("Youden index" → "youden-index"). */
export function metricSlug(printed: string): string {
  return printed
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
}

/** A known metric with its scale and range; an unknown one is kept (slugged) with no scale. */
export function normalizeMetric(printed: string): NormalizedMetric {
  const hit = vocabulary().metrics.byKey.get(matchKey(printed));
  if (!hit) return { value: metricSlug(printed), mapped: false, scale: null, min: null, max: null };
  return {
    value: hit.canonical,
    mapped: true,
    scale: hit.scale === "" ? null : hit.scale,
    min: hit.min,
    max: hit.max,
  };
}
