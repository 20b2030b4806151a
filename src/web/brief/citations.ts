import { Cite } from "@citation-js/core";
import "@citation-js/plugin-csl";
import { toCsl } from "../../api/csl.js";
import type { Reference } from "../../queries/references.js";

/**
 * The works behind a brief in APA style (alphabetical), one plain-text entry each. APA rather
 * than Vancouver: the review prints most entries without a journal name, and Vancouver then
 * reads "Vol. 13. 2018;13(7)", where APA degrades to "13(7)".
 */
export function apa(refs: Reference[]): string[] {
  if (refs.length === 0) return [];
  const text: string = new Cite(refs.map(toCsl)).format("bibliography", { template: "apa", format: "text", lang: "en-US" });
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
}
