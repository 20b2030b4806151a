export type Column<T> = {
  header: string;
  value: (row: T) => string | number | null | undefined;
  align?: "left" | "right";
  // Long free text (titles, conditions) is cut so a row stays on one terminal line.
  max?: number;
};

/** Renders rows as a plain-text table with aligned columns; null shows as "-". */
export function renderTable<T>(columns: readonly Column<T>[], rows: readonly T[]): string {
  const cells = rows.map((row) => columns.map((c) => cell(c.value(row), c.max)));
  const widths = columns.map((c, i) => Math.max(width(c.header), ...cells.map((r) => width(r[i] ?? ""))));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (columns[i]?.align === "right" ? pad(v, widths[i] ?? 0, "start") : pad(v, widths[i] ?? 0, "end")))
      .join("  ")
      .trimEnd();
  const header = line(columns.map((c) => c.header));
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [header, rule, ...cells.map(line)].join("\n");
}

function cell(value: string | number | null | undefined, max = 80): string {
  if (value === null || value === undefined || value === "") return "-";
  const text = String(value).replace(/\s+/g, " ");
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : text;
}

// Width in code points, so "González" lines up with "Gonzalez".
const width = (s: string) => [...s].length;

function pad(s: string, w: number, side: "start" | "end"): string {
  const fill = " ".repeat(Math.max(0, w - width(s)));
  return side === "start" ? fill + s : s + fill;
}
