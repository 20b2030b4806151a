/** Reads a tab-separated file with a header row into records keyed by column name. */
export function parseTsv(text: string): Record<string, string>[] {
  const lines = text.replace(/\r\n/g, "\n").split("\n").filter((l) => l.length > 0);
  const header = (lines[0] ?? "").split("\t");
  return lines.slice(1).map((line, i) => {
    const cells = line.split("\t");
    if (cells.length !== header.length) {
      throw new Error(`line ${i + 2}: ${cells.length} cells, header has ${header.length}`);
    }
    return Object.fromEntries(header.map((h, j) => [h, cells[j] ?? ""]));
  });
}
