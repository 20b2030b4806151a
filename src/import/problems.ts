/**
 * One problem found while importing, located the way a spreadsheet shows it (after frictionless'
 * validation report: a type code, the file, row and column, the cell and what was expected).
 * Errors stop the import; warnings are listed and the import goes on.
 */

export const PROBLEM_CODES = [
  "bad-argument",
  "bad-file",
  "encoding",
  "missing-column",
  "duplicate-column",
  "unknown-column",
  "bad-value",
  "out-of-range",
  "missing-value",
  "ambiguous-scale",
  "spread",
  "unmapped-vocabulary",
  "unmatched-citation",
  "duplicate-row",
  "possible-duplicate",
  "duplicate-key",
  "missing-field",
  "uncited-reference",
  "cleaned-cell",
  "load-refused",
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];
export type Severity = "error" | "warning";

export type Problem = {
  severity: Severity;
  code: ProblemCode;
  file: string;
  /** The line as a spreadsheet or text editor shows it (the header is line 1); null for the whole file. */
  row: number | null;
  column: string | null;
  value: string | null;
  message: string;
};

/** A problem about one value, before the reader that found it knows where the value stands. */
export type Finding = { severity: Severity; code: ProblemCode; message: string };

export const error = (code: ProblemCode, message: string): Finding => ({ severity: "error", code, message });
export const warning = (code: ProblemCode, message: string): Finding => ({ severity: "warning", code, message });

/** Places findings about one cell. */
export function at(
  findings: Finding[],
  where: { file: string; row?: number | null; column?: string | null; value?: string | null },
): Problem[] {
  return findings.map((f) => ({
    ...f,
    file: where.file,
    row: where.row ?? null,
    column: where.column ?? null,
    value: where.value ?? null,
  }));
}

export const hasErrors = (problems: Problem[]) => problems.some((p) => p.severity === "error");
