import { z } from "zod";
import { createRng } from "../synth/prng.js";

/**
 * The requests of the endpoint sweep (issue 10, item 4), generated from the app's own OpenAPI
 * document so a parameter added later is swept without editing this file. Shared by the CI test
 * (app.request on a 100k corpus) and `npm run sweep` (a real server on the 1M corpus).
 */

// Only the parts of the OpenAPI document the sweep reads; anything else passes through.
const ParamSchema = z.looseObject({
  type: z.union([z.string(), z.array(z.string())]).optional(),
  enum: z.array(z.union([z.string(), z.number()])).optional(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  minLength: z.number().optional(),
  maxLength: z.number().optional(),
  pattern: z.string().optional(),
  example: z.unknown().optional(),
  default: z.unknown().optional(),
});
const Parameter = z.looseObject({ name: z.string(), in: z.string(), schema: ParamSchema, example: z.unknown().optional() });
export type Parameter = z.infer<typeof Parameter>;
const Operation = z.looseObject({
  parameters: z.array(Parameter).optional(),
  responses: z.record(z.string(), z.looseObject({ content: z.record(z.string(), z.unknown()).optional() })),
});
export type Operation = z.infer<typeof Operation>;
export const OpenApiDoc = z.looseObject({ paths: z.record(z.string(), z.record(z.string(), Operation)) });
export type OpenApiDoc = z.infer<typeof OpenApiDoc>;

/** Valid values read from the corpus being swept (see discoverData), by the parameter they feed. */
export type SweepData = {
  reviews: string[];
  metrics: string[];
  organs: string[];
  backbones: string[];
  modalities: string[];
  conditions: string[];
  years: number[];
  studyIds: number[];
  referenceIds: number[];
  /** Next pages as whole query strings (filters, sort and the cursor the previous page gave), by path. */
  nextPages: { path: string; query: string }[];
  /** Cursors as issued, to forge from and to send with the wrong sort or to the wrong endpoint. */
  cursors: string[];
};

export type SweepCase = { path: string; template: string; kind: "single" | "combo" };

// Hostile values every parameter gets, whatever its schema says.
const HOSTILE = [
  "", " ", "0", "-1", "1.5", "1e309", "NaN", "-0", "99999999999999999999999", "0x10", "abc", "\u0000", "a\u0000b", "脑肿瘤 🧠", "e\u0301",
  "\u202e", "a,b,c", ",", "%", "_", "*", "\"", "' OR 1=1 --", "NEAR(", "x".repeat(5000), "null", "[]", "{}",
];

const FILTERS = ["review", "organ", "strategy", "backbone", "condition", "modality", "year_from", "year_to", "accuracy_min", "accuracy_max", "q", "metric"];
const GROUP_KEYS = ["organ", "strategy", "backbone", "year", "modality", "condition"];

/** Values from the corpus for a parameter, by its name; `undefined` when the name is not a data dimension. */
function dataValues(name: string, d: SweepData): string[] | undefined {
  const years = d.years.map(String);
  const words = d.conditions.flatMap((c) => c.split(/[^\p{L}\p{N}]+/u)).filter((w) => w.length > 2);
  switch (name) {
    case "review": return d.reviews;
    case "organ": return d.organs;
    case "backbone": return d.backbones;
    case "modality": return d.modalities;
    case "metric": return d.metrics;
    case "condition": return [...d.conditions, ...words.slice(0, 10)];
    case "year": case "year_from": case "year_to": return years;
    case "q": return [...new Set(words)].slice(0, 20).concat(["transfer", "transfer learning", "mammographic"]);
    case "accuracy_min": case "accuracy_max": return ["0", "50", "90", "99.5", "100"];
    case "cursor": return d.cursors;
    case "group_by": return groupByValues();
    default: return undefined;
  }
}

function groupByValues(): string[] {
  const out = [...GROUP_KEYS];
  for (const a of GROUP_KEYS) for (const b of GROUP_KEYS) out.push(`${a},${b}`);
  out.push("organ,strategy,year", "backbone,modality,condition", GROUP_KEYS.join(","), "organ,", ",organ", "organ,,strategy");
  return out;
}

/** Values the schema itself names or implies: enum members, example, default, and each bound and one past it. */
function schemaValues(p: Parameter): string[] {
  const s = p.schema;
  const out: unknown[] = [...(s.enum ?? []), s.example, p.example, s.default];
  if (s.enum) out.push(String(s.enum[0]).toUpperCase(), `${s.enum[0]},${s.enum[1] ?? s.enum[0]}`);
  const numeric = s.type === "integer" || s.type === "number" || (Array.isArray(s.type) && (s.type.includes("number") || s.type.includes("integer")));
  if (numeric) {
    if (s.minimum !== undefined) out.push(s.minimum, s.minimum - 1, s.minimum - 0.5);
    if (s.maximum !== undefined) out.push(s.maximum, s.maximum + 1, s.maximum + 0.5);
    out.push(2 ** 31, 2 ** 53, -(2 ** 53), "1e3", "+5", " 5 ");
  }
  if (s.minLength !== undefined && s.minLength > 0) out.push("x".repeat(s.minLength));
  if (s.maxLength !== undefined) out.push("x".repeat(s.maxLength), "x".repeat(s.maxLength + 1), "é".repeat(s.maxLength));
  return out.filter((v) => v !== undefined && v !== null).map(String);
}

const query = (pairs: [string, string][]) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");

/** Path parameters: ids that exist, ids that do not, malformed ones, and each enum member. */
function pathValues(p: Parameter, d: SweepData, path: string): string[] {
  const known = path.startsWith("/v1/studies") ? d.studyIds.map(String) : path.startsWith("/v1/references") ? d.referenceIds.map(String) : p.name === "id" && path.startsWith("/v1/reviews") ? d.reviews : [];
  return [...new Set([...known, ...schemaValues(p), "999999999", "2147483648", "0", "-1", "1.5", "1e3", "abc", "%00", "..", "x".repeat(300), "脑"])];
}

/**
 * Every case for every GET path: each documented parameter alone with every value (schema, data,
 * hostile) and repeated; then combinations (pairs of filters, formats with filters, year and
 * accuracy ranges, next pages with their cursors), seeded-shuffled and cut to fit `maxCombos`.
 */
export function sweepCases(doc: OpenApiDoc, d: SweepData, { seed = 1, maxCombos = 2000 } = {}): SweepCase[] {
  const singles: SweepCase[] = [];
  const combos: SweepCase[] = [];
  for (const [template, ops] of Object.entries(doc.paths)) {
    const op = ops.get;
    if (!op) continue;
    const params = op.parameters ?? [];
    const pathParams = params.filter((p) => p.in === "path");
    const queryParams = params.filter((p) => p.in === "query");
    // A templated path is swept over its path values, with its query parameters on a known-good one.
    const bases = pathParams.length === 0 ? [template] : expandPath(template, pathParams, d);
    for (const base of bases) singles.push({ path: base, template, kind: "single" });
    const base = pathParams.length === 0 ? template : expandPath(template, pathParams, d, true)[0]!;
    for (const p of queryParams) {
      const values = new Set([...schemaValues(p), ...(dataValues(p.name, d) ?? []), ...HOSTILE]);
      for (const v of values) singles.push({ path: `${base}?${query([[p.name, v]])}`, template, kind: "single" });
      const [a, b] = [...values].filter((v) => v !== "");
      singles.push({ path: `${base}?${query([[p.name, a ?? "x"], [p.name, b ?? "y"]])}`, template, kind: "single" });
      singles.push({ path: `${base}?${encodeURIComponent(p.name)}`, template, kind: "single" });
    }
    combos.push(...comboCases(template, base, queryParams, d));
  }
  for (const { path, query: q } of d.nextPages) if (doc.paths[path]?.get) singles.push({ path: `${path}?${q}`, template: path, kind: "single" });
  const seen = new Set<string>();
  return [...singles, ...shuffle(combos, createRng(seed)).slice(0, maxCombos)].filter((c) => !seen.has(c.path) && seen.add(c.path));
}

function expandPath(template: string, params: Parameter[], d: SweepData, goodOnly = false): string[] {
  let paths = [template];
  for (const p of params) {
    const values = pathValues(p, d, template);
    const chosen = goodOnly ? values.slice(0, 1) : values;
    paths = paths.flatMap((t) => chosen.map((v) => t.replace(`{${p.name}}`, encodeURIComponent(v))));
  }
  return paths;
}

function comboCases(template: string, base: string, params: Parameter[], d: SweepData): SweepCase[] {
  const names = new Set(params.map((p) => p.name));
  const out: SweepCase[] = [];
  const add = (pairs: [string, string][]) => {
    if (pairs.every(([k]) => names.has(k))) out.push({ path: `${base}?${query(pairs)}`, template, kind: "combo" });
  };
  const filters = FILTERS.filter((f) => names.has(f));
  // Pairs of filters, each with a few of its corpus values.
  for (const a of filters) {
    for (const b of filters) {
      if (a >= b) continue;
      for (const va of (dataValues(a, d) ?? []).slice(0, 4)) for (const vb of (dataValues(b, d) ?? []).slice(0, 4)) add([[a, va], [b, vb]]);
    }
  }
  // Year ranges: the whole span, one year, reversed, and open on either side.
  const [first, last] = [d.years[0], d.years.at(-1)];
  if (first !== undefined && last !== undefined) {
    add([["year_from", String(first)], ["year_to", String(last)]]);
    add([["year_from", String(last)], ["year_to", String(first)]]);
    for (const y of d.years) add([["year_from", String(y)], ["year_to", String(y)]]);
  }
  add([["accuracy_min", "99"], ["accuracy_max", "1"]]);
  add([["accuracy_min", "90"], ["accuracy_max", "95"]]);
  const format = params.find((p) => p.name === "format");
  for (const f of format?.schema.enum ?? []) {
    for (const organ of d.organs.slice(0, 3)) add([["format", String(f)], ["organ", organ]]);
    for (const review of d.reviews.slice(0, 3)) add([["format", String(f)], ["review", review]]);
    add([["format", String(f)], ["organ", d.organs[0] ?? "brain"], ["strategy", "fine-tuning"], ["year_from", "2015"]]);
    add([["format", String(f)], ["limit", "1"]]);
    add([["format", String(f)], ["cited", "true"]]);
    add([["format", String(f)], ["q", "transfer"]]);
    for (const g of ["organ,strategy", "year", "backbone,year", "condition"]) add([["format", String(f)], ["group_by", g]]);
  }
  for (const g of groupByValues()) {
    add([["group_by", g], ["organ", d.organs[0] ?? "brain"]]);
    add([["group_by", g], ["metric", d.metrics.at(-1) ?? "accuracy"]]);
  }
  for (const series of ["strategy", "organ", "backbone"]) {
    for (const organ of d.organs) add([["series", series], ["organ", organ]]);
    add([["series", series], ["strategy", "fine-tuning"], ["year_from", "2018"]]);
  }
  for (const sort of ["id", "year", "-year", "accuracy", "-accuracy", "organ", "-organ"]) {
    add([["sort", sort], ["limit", "500"]]);
    add([["sort", sort], ["organ", d.organs[0] ?? "brain"], ["limit", "500"]]);
    add([["sort", sort], ["q", "transfer"], ["limit", "500"]]);
    for (const cursor of d.cursors.slice(0, 6)) add([["sort", sort], ["cursor", cursor]]);
  }
  for (const cursor of d.cursors) for (const forged of forgeCursors(cursor)) add([["cursor", forged]]);
  for (const metric of d.metrics) for (const organ of d.organs.slice(0, 4)) add([["metric", metric], ["organ", organ]]);
  return out;
}

/** A real cursor altered: truncated, re-encoded with other sorts, keys and ids, and not base64 at all. */
export function forgeCursors(cursor: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    parsed = null;
  }
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const out = [cursor.slice(0, -2), `${cursor}x`, `${cursor}==`, cursor.toUpperCase(), "!!!", enc(null), enc([]), enc({})];
  if (Array.isArray(parsed)) {
    const [sort, key, id] = parsed as unknown[];
    out.push(
      enc([sort, key, -1]), enc([sort, key, 2 ** 53]), enc([sort, key, 1.5]), enc([sort, "x".repeat(1000), id]), enc([sort, null, id]),
      enc([sort, { a: 1 }, id]), enc([sort, 1e308, id]), enc(["-year", key, id]), enc(["accuracy", "brain", id]), enc([sort, key]), enc([sort, key, id, 1]),
    );
  } else if (parsed && typeof parsed === "object") {
    out.push(enc({ id: -1 }), enc({ id: 2 ** 53 }), enc({ id: "x" }), enc({ id: 1.5 }), enc({ id: null }), enc({}));
  }
  return out;
}

/** The parameter a case is about: its first query key, or the path itself for a path parameter. */
const stratum = (c: SweepCase) => `${c.template} ${c.path.includes("?") ? new URLSearchParams(c.path.split("?")[1]).keys().next().value : c.path}`;

/**
 * At most `n` cases, seeded, taken round-robin across (path, first parameter) so every parameter of
 * every path is swept before any gets a second value: a sample cut short by a time budget still
 * covers the whole document.
 */
export function sampleCases(cases: SweepCase[], n: number, seed = 1): SweepCase[] {
  const rng = createRng(seed);
  const groups = new Map<string, SweepCase[]>();
  for (const c of cases) {
    const key = stratum(c);
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const queues = [...groups.values()].map((g) => shuffle(g, rng));
  const out: SweepCase[] = [];
  for (let round = 0; out.length < n && queues.some((q) => round < q.length); round++) {
    for (const q of queues) if (round < q.length && out.length < n) out.push(q[round]!);
  }
  return out;
}

function shuffle<T>(items: T[], rng: ReturnType<typeof createRng>): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
