import { readFileSync } from "node:fs";
import { basename, extname } from "node:path";
import { Cite } from "@citation-js/core";
import "@citation-js/plugin-bibtex";
import "@citation-js/plugin-ris";
import "@citation-js/plugin-csl";
import type { CslItem } from "../ingest/review-files.js";
import { decodeText } from "./encoding.js";
import { at, error, type Problem } from "./problems.js";

/**
 * A reference library (BibTeX, RIS or CSL-JSON, as Zotero, Mendeley or EndNote export it) →
 * CSL items through citation-js, which keeps DOI, URL, full given names, container title,
 * volume, issue, pages and type. `id` is the cite key: BibTeX's key, RIS's ID, CSL's id.
 */
export const REFERENCE_FORMATS = ["bibtex", "ris", "csl-json"] as const;
export type ReferenceFormat = (typeof REFERENCE_FORMATS)[number];
/** `lines[i]` is the line naming items[i]'s key in the file (null where it cannot be found). */
export type Library = { file: string; format: ReferenceFormat | null; items: CslItem[]; lines: (number | null)[]; problems: Problem[] };

const FORCE_TYPE: Record<ReferenceFormat, string> = { bibtex: "@bibtex/text", ris: "@ris/file", "csl-json": "@csl/list+object" };

export function readReferences(path: string): Library {
  const file = basename(path);
  const decoded = decodeText(readFileSync(path));
  const problems = at(decoded.findings, { file });
  if (decoded.encoding === null) return { file, format: null, items: [], lines: [], problems };
  const library = parseReferences(decoded.text, file, formatOf(extname(path), decoded.text));
  return { ...library, problems: [...problems, ...library.problems] };
}

/** By extension, then by the first thing in the file. */
export function formatOf(ext: string, text: string): ReferenceFormat | null {
  const byExt: Record<string, ReferenceFormat> = { ".bib": "bibtex", ".bibtex": "bibtex", ".ris": "ris", ".json": "csl-json" };
  const known = byExt[ext.toLowerCase()];
  if (known) return known;
  const start = text.replace(/^\uFEFF/, "").trimStart();
  if (start.startsWith("@")) return "bibtex";
  if (/^TY {2}- /m.test(start)) return "ris";
  if (start.startsWith("[") || start.startsWith("{")) return "csl-json";
  return null;
}

export function parseReferences(text: string, file: string, format: ReferenceFormat | null): Library {
  const fail = (message: string, row: number | null = null): Library => ({
    file,
    format,
    items: [],
    lines: [],
    problems: at([error("bad-file", message)], { file, row }),
  });
  if (format === null) return fail("not BibTeX, RIS or CSL-JSON (by its extension or its first line)");
  let data: unknown;
  try {
    const input = format === "csl-json" ? JSON.parse(text) : text;
    data = new Cite(format === "csl-json" && !Array.isArray(input) ? [input] : input, { forceType: FORCE_TYPE[format] }).format("data", {
      format: "object",
    });
  } catch (e) {
    const message = (e as Error).message;
    return fail(`not readable as ${format}: ${message.split("\n")[0]}`, Number(message.match(/at line (\d+)/)?.[1]) || null);
  }
  const raw = data as Record<string, unknown>[];
  const ids = citeKeys(raw, format);
  const keyLines = linesOfKeys(text, format);
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  const occurrences = new Map<string, number>();
  const lines: (number | null)[] = [];
  const items: CslItem[] = raw.map((item, i) => {
    const id = ids[i]!;
    const before = seen.get(id);
    const occurrence = occurrences.get(id) ?? 0;
    occurrences.set(id, occurrence + 1);
    const row = keyLines.get(id)?.[occurrence] ?? null;
    lines.push(row);
    const name = `entry ${i + 1}${id ? ` (${id})` : ""}`;
    if (typeof item.title !== "string" || item.title.trim() === "") {
      problems.push(...at([error("missing-field", `${name} has no title`)], { file, row, column: "title", value: id }));
    }
    if (before !== undefined) {
      problems.push(...at([error("duplicate-key", `${name}: the key ${id} is also entry ${before + 1}'s`)], { file, row, column: "id", value: id }));
    } else seen.set(id, i);
    return { ...item, id } as CslItem;
  });
  return { file, format, items, lines, problems };
}

/**
 * Each entry's cite key. citation-js makes up a random "temp_id_…" for an RIS record without an
 * ID (Zotero's RIS export writes none): a stable one is made instead from the first author's
 * family name and the year, suffixed a, b, … in file order when several share them, as BibTeX
 * tools do, so a re-import names the same work the same way.
 */
function citeKeys(items: Record<string, unknown>[], format: ReferenceFormat): string[] {
  const made = (x: Record<string, unknown>) => {
    const author = (x.author as { family?: string; literal?: string }[] | undefined)?.[0];
    const family = (author?.family ?? author?.literal ?? "anon").normalize("NFKD").replace(/[^A-Za-z]/g, "").toLowerCase();
    const year = (x.issued as { "date-parts"?: number[][] } | undefined)?.["date-parts"]?.[0]?.[0] ?? "";
    return `${family || "anon"}${year}`;
  };
  const given = items.map((x) => {
    const id = String(x.id ?? "");
    return id !== "" && !(format === "ris" && id.startsWith("temp_id_")) ? id : null;
  });
  const bases = items.map((x, i) => (given[i] === null ? made(x) : null));
  const total = new Map<string, number>();
  for (const b of bases) if (b !== null) total.set(b, (total.get(b) ?? 0) + 1);
  const used = new Map<string, number>();
  return items.map((_, i) => {
    const base = bases[i];
    if (base === null || base === undefined) return given[i]!;
    const n = used.get(base) ?? 0;
    used.set(base, n + 1);
    return (total.get(base) ?? 0) > 1 ? `${base}${String.fromCharCode(97 + n)}` : base;
  });
}

/** The lines naming each key, in file order, for the report: BibTeX's "@type{key", RIS's "ID  - key", CSL's "id". One pass. */
function linesOfKeys(text: string, format: ReferenceFormat): Map<string, number[]> {
  const pattern =
    format === "bibtex" ? /@\w+\s*\{\s*([^,\s]+)\s*,/g : format === "ris" ? /^ID {2}- (.*?)\s*$/gm : /"id"\s*:\s*"?([^",}\s]+)"?/g;
  const out = new Map<string, number[]>();
  let line = 1;
  let at = 0;
  for (const m of text.matchAll(pattern)) {
    for (let i = at; i < m.index; i++) if (text.charCodeAt(i) === 10) line++;
    at = m.index;
    const key = m[1]!;
    out.set(key, [...(out.get(key) ?? []), line]);
  }
  return out;
}
