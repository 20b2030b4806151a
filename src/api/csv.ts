import type { Context } from "hono";

export type CsvCell = string | number | boolean | null | undefined;

/**
 * RFC 4180 CSV: CRLF line ends, fields quoted when they hold a comma, quote or line break.
 * A text cell starting with = + - @ is prefixed with ' so a spreadsheet never runs it as a
 * formula (CSV injection); numbers are written as numbers and keep their sign.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return csvLines([header, ...rows]);
}

/** Rows without a header, each ending in CRLF: for writing a long export a batch at a time. */
export function csvLines(rows: readonly (readonly CsvCell[])[]): string {
  return rows.map((row) => `${row.map(csvField).join(",")}\r\n`).join("");
}

function csvField(cell: CsvCell): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell !== "string") return String(cell);
  const safe = /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** A CSV download: the type and a filename a browser or curl -OJ will use. */
export function csvResponse(c: Context, filename: string, body: string, headers: Record<string, string> = {}) {
  return c.body(body, 200, {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="${filename.replace(/[^\w.-]/g, "_")}"`,
    ...headers,
  });
}

/**
 * A CSV download written a batch at a time as the client reads it, so an export of a whole
 * corpus never sits in memory. `etag` is given by the caller (derived from the data and the URL)
 * because hashing the body would mean holding all of it.
 */
export function csvStreamResponse(
  c: Context,
  filename: string,
  header: readonly string[],
  batches: Iterator<readonly (readonly CsvCell[])[]>,
  etag: string,
) {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvLines([header])));
    },
    pull(controller) {
      const next = batches.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(csvLines(next.value)));
    },
    cancel() {
      batches.return?.();
    },
  });
  return c.body(body, 200, {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="${filename.replace(/[^\w.-]/g, "_")}"`,
    ETag: etag,
  });
}
