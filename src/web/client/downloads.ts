import { ApiProblem, apiUrl, getJson, type StudyPage } from "./api.js";
import { byId } from "./dom.js";
import type { ViewState } from "./state.js";

/** The CSV download is the API's own export of the current filters: a plain link. */
export function setDownloadLinks(state: ViewState) {
  const csv = byId<HTMLAnchorElement>("download-csv");
  csv.href = apiUrl("/v1/studies", { ...state.filters, sort: state.sort, limit: 500, format: "csv" });
}

/**
 * The references of the studies in view. /v1/references has no study filter, so the page asks
 * for the view's studies, collects the works they cite and asks for each in the chosen format.
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
    const parts = await Promise.all(
      [...ids].sort((a, b) => a - b).map(async (id) => {
        const url = apiUrl(`/v1/references/${id}`, { format });
        const res = await fetch(url);
        if (!res.ok) throw new ApiProblem(res.status, res.statusText, `Could not export reference ${id}`, url);
        return (await res.text()).trim();
      }),
    );
    const type = format === "bibtex" ? "application/x-bibtex" : "application/x-research-info-systems";
    const blob = new Blob([`${parts.join("\n\n")}\n`], { type });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `litreview-references${state.filters.organ ? `-${state.filters.organ}` : ""}.${format === "bibtex" ? "bib" : "ris"}`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    byId("status").textContent = `Downloaded ${ids.size} references as ${format === "bibtex" ? "BibTeX" : "RIS"}.`;
  } catch (err) {
    byId("status").textContent = `The references could not be exported: ${(err as Error).message}`;
  } finally {
    button.disabled = false;
    button.textContent = label;
  }
}
