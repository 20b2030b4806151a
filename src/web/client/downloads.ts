import { apiUrl } from "./api.js";
import { byId } from "./dom.js";
import type { ViewState } from "./state.js";

/**
 * The downloads are the API's own exports of the current filters, as plain links: the studies as
 * CSV, and the works they cite as BibTeX or RIS (/v1/studies/references), streamed by the server
 * whatever the size of the view.
 */
export function setDownloadLinks(state: ViewState) {
  const csv = byId<HTMLAnchorElement>("download-csv");
  csv.href = apiUrl("/v1/studies", { ...state.filters, sort: state.sort, format: "csv" });
  for (const format of ["bibtex", "ris"] as const) {
    byId<HTMLAnchorElement>(`download-${format}`).href = apiUrl("/v1/studies/references", { ...state.filters, format });
  }
}
