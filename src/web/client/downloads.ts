import { ApiProblem, apiUrl, getJson, type StudyPage } from "./api.js";
import { byId } from "./dom.js";
import type { ViewState } from "./state.js";

/** The CSV download is the API's own export of the current filters: a plain link. */
export function setDownloadLinks(state: ViewState) {
  const csv = byId<HTMLAnchorElement>("download-csv");
  csv.href = apiUrl("/v1/studies", { ...state.filters, sort: state.sort, format: "csv" });
}

/**
 * The references of the studies in view. /v1/references has no study filter, so the page takes
 * the API's export of every cited work and keeps the entries whose work a study in view cites:
 * the export names each entry by its work id (BibTeX key "..._8", RIS "ID  - work-8").
 */
export async function downloadReferences(state: ViewState, format: "bibtex" | "ris", button: HTMLButtonElement) {
  const label = button.textContent;
  button.disabled = true;
  button.textContent = "Preparing…";
  try {
    const ids = new Set<number>();
    let cursor: string | null = null;
    do {
      const page: StudyPage = await getJson<StudyPage>(apiUrl("/v1/studies", { ...state.filters, limit: 500, cursor }));
      for (const s of page.results) if (s.citation?.reference_id != null) ids.add(s.citation.reference_id);
      cursor = page.meta.next_cursor;
    } while (cursor);
    const url = apiUrl("/v1/references", { cited: "true", format });
    const res = await fetch(url);
    if (!res.ok) throw new ApiProblem(res.status, res.statusText, `The ${format} export failed (HTTP ${res.status})`, url);
    const entries = splitEntries(await res.text(), format).filter((e) => ids.has(e.workId));
    const parts = entries.map((e) => e.text);
    const type = format === "bibtex" ? "application/x-bibtex" : "application/x-research-info-systems";
    const blob = new Blob([`${parts.join(format === "bibtex" ? "\n\n" : "\n")}\n`], { type });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `litreview-references${state.filters.organ ? `-${state.filters.organ}` : ""}.${format === "bibtex" ? "bib" : "ris"}`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    byId("status").textContent = `Downloaded ${entries.length} references as ${format === "bibtex" ? "BibTeX" : "RIS"}.`;
  } catch (err) {
    byId("status").textContent = `The references could not be exported: ${(err as Error).message}`;
  } finally {
    button.disabled = false;
    button.textContent = label;
  }
}

/** Splits a BibTeX or RIS export into entries, each with the work id its key carries. */
export function splitEntries(text: string, format: "bibtex" | "ris"): { workId: number; text: string }[] {
  const chunks =
    format === "bibtex"
      ? text.split(/\n(?=@)/).map((c) => c.trim())
      : text.split(/^ER {2}-[^\n]*\n?/m).map((c) => `${c.trim()}\nER  - `);
  const key = format === "bibtex" ? /^@\w+\{[^,]*_(\d+),/ : /^ID {2}- work-(\d+)\s*$/m;
  return chunks.flatMap((chunk) => {
    const m = chunk.match(key);
    return m ? [{ workId: Number(m[1]), text: chunk }] : [];
  });
}
