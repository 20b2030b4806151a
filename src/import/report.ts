import type { Summary } from "./draft.js";
import type { Problem } from "./problems.js";

/** What an import found and what it would load (or loaded): the report is data (--json) as well as text. */
export type ImportReport = {
  valid: boolean;
  dryRun: boolean;
  review: string;
  files: { studies: string; references: string };
  errors: number;
  warnings: number;
  problems: Problem[];
  summary: Summary;
};

export function makeReport(input: { review: string; files: ImportReport["files"]; dryRun: boolean; problems: Problem[]; summary: Summary }): ImportReport {
  // Errors first, then by file and line, so the lines that stop the import are read first.
  const problems = [...input.problems].sort(
    (a, b) =>
      Number(a.severity === "warning") - Number(b.severity === "warning") ||
      a.file.localeCompare(b.file) ||
      (a.row ?? 0) - (b.row ?? 0),
  );
  const errors = problems.filter((p) => p.severity === "error").length;
  return { ...input, valid: errors === 0, errors, warnings: problems.length - errors, problems };
}

/** One line per problem, `studies.csv:14 Value "130%": accuracy must be 0–100 %`, then what would be loaded. */
export function renderReport(report: ImportReport, outcome?: { dir?: string; loaded?: boolean }): string {
  const lines = report.problems.map(renderProblem);
  const count = (n: number, what: string, plural = `${what}s`) => `${n} ${n === 1 ? what : plural}`;
  lines.push(`${count(report.errors, "error")}, ${count(report.warnings, "warning")}.`);
  const s = report.summary;
  const list = (counts: Record<string, number>) => Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(", ") || "none";
  const verb = !report.valid ? "Nothing was written" : report.dryRun ? "Would load" : outcome?.loaded ? "Loaded" : "Wrote";
  if (report.valid) {
    lines.push(`${verb} review ${report.review}: ${count(s.studies, "study", "studies")} (${count(s.results, "result")}), ${count(s.works, "work")}.`);
    lines.push(`  organs: ${list(s.organs)}`, `  metrics: ${list(s.metrics)}`, `  strategies: ${list(s.strategies)}`);
    if (outcome?.dir) lines.push(`  folder: ${outcome.dir}`);
  } else lines.push(`${verb}: fix the errors above and run the import again.`);
  return lines.join("\n");
}

export function renderProblem(p: Problem): string {
  const where = `${p.file}${p.row === null ? "" : `:${p.row}`}`;
  const cell = [p.column, p.value === null || p.value === "" ? null : JSON.stringify(p.value)].filter(Boolean).join(" ");
  return `${where} ${p.severity} ${p.code}${cell ? ` ${cell}` : ""}: ${p.message}`;
}
