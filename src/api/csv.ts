import { createHash } from "node:crypto";
import type { Context } from "hono";
import { dataVersion } from "../cache/data-version.js";
import type { Db } from "../db/client.js";
import { loadedDataIdentity } from "../queries/reviews.js";

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
 * corpus never sits in memory (see streamDownload).
 */
export function csvStreamResponse(
  c: Context,
  filename: string,
  header: readonly string[],
  batches: Iterator<readonly (readonly CsvCell[])[]>,
  etag: string,
  close: () => void = () => {},
) {
  const pieces = (function* () {
    try {
      yield csvLines([header]);
      for (let next = batches.next(); !next.done; next = batches.next()) yield csvLines(next.value);
    } finally {
      batches.return?.();
    }
  })();
  return streamDownload(c, { contentType: "text/csv; charset=utf-8", filename, etag }, pieces, close);
}

/**
 * A download written a piece at a time as the client reads it (one piece per pull, so a slow
 * client paces the reads and a client that leaves stops them). `etag` is given by the caller
 * (exportTag) because hashing the body would mean holding all of it. `close` releases what the
 * pieces read from; it runs when the last piece is sent, when the client goes away and on an error.
 *
 * An error midway must not look like a complete file: a chunked body ended cleanly is exactly
 * that (the client has no length to compare). So the connection is reset, without the final
 * chunk, and a client (curl exits 18, a browser marks the download failed) can tell.
 */
export function streamDownload(
  c: Context,
  head: { contentType: string; filename: string; etag: string },
  pieces: Iterator<string>,
  close: () => void = () => {},
) {
  const encoder = new TextEncoder();
  const headers = downloadHeaders(head);
  // A HEAD answer's body is dropped unread: nothing to stream, and nothing left open.
  if (c.req.method === "HEAD") {
    close();
    pieces.return?.();
    return c.body(null, 200, headers);
  }
  // Set when the client goes away: a pull already waiting for its turn must then touch neither
  // the pieces nor the stream (closing a cancelled stream throws ERR_INVALID_STATE).
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      // A turn of the event loop before each piece: a client that reads as fast as the pieces are
      // made (curl on loopback) would otherwise chain every read and write in microtasks, and the
      // server would answer nothing else until the whole export was sent (/health waited 49 s).
      await new Promise((resolve) => setImmediate(resolve));
      if (cancelled) return;
      try {
        const next = pieces.next();
        if (next.done) {
          close();
          controller.close();
        } else controller.enqueue(encoder.encode(next.value));
      } catch (err) {
        close();
        console.error(err);
        abortConnection(c);
        controller.error(err);
      }
    },
    cancel() {
      cancelled = true;
      close();
      pieces.return?.();
    },
  });
  return c.body(body, 200, headers);
}

const downloadHeaders = ({ contentType, filename, etag }: { contentType: string; filename: string; etag: string }) => ({
  "Content-Type": contentType,
  "Content-Disposition": `attachment; filename="${filename.replace(/[^\w.-]/g, "_")}"`,
  ETag: etag,
});

/** A weak ETag for a streamed export: the loaded data (across restarts), in-process writes, the URL. */
export function exportTag(db: Db, url: string): string {
  const seed = `${loadedDataIdentity(db)}|${dataVersion(db.$client)}|${url}`;
  return `W/"${createHash("sha1").update(seed).digest("hex")}"`;
}

/**
 * Resets the client's connection (served by @hono/node-server, which hands the Node response to
 * the app as `env.outgoing`). Without it the adapter would end the chunked body cleanly after an
 * error, with the error's text appended. In-process (app.request) there is no socket: the body
 * stream's error reaches the reader instead.
 */
function abortConnection(c: Context): void {
  const outgoing = (c.env as { outgoing?: { socket?: { resetAndDestroy?: () => void } | null; destroy: () => void } } | undefined)?.outgoing;
  if (!outgoing) return;
  if (outgoing.socket?.resetAndDestroy) outgoing.socket.resetAndDestroy();
  else outgoing.destroy();
}
