import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";

/** An app served on a free loopback port, for what only a real socket shows (a reset, a client leaving). */
export async function listen(fetch: Parameters<typeof serve>[0]["fetch"]): Promise<{ port: number; close: () => Promise<void> }> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Reads a download to its end and says how it ended: "complete" only for a clean end of the body;
 * a reset shows as "error ECONNRESET", "aborted" or "incomplete".
 */
export function readDownload(port: number, path: string): Promise<{ how: string; body: string }> {
  return new Promise((resolve) => {
    let body = "";
    const req = request({ host: "127.0.0.1", port, path }, (res) => {
      res.setEncoding("utf8");
      res.on("data", (d) => {
        body += d;
      });
      res.on("end", () => resolve({ how: res.complete ? "complete" : "incomplete", body }));
      res.on("error", (e) => resolve({ how: `error ${(e as NodeJS.ErrnoException).code ?? e.message}`, body }));
      res.on("aborted", () => resolve({ how: "aborted", body }));
    });
    req.on("error", (e) => resolve({ how: `error ${(e as NodeJS.ErrnoException).code ?? e.message}`, body }));
    req.end();
  });
}

/** Asks for a download and leaves after its first piece, as a user cancelling it does. */
export function leaveDownload(port: number, path: string): Promise<void> {
  return new Promise<void>((resolve) => {
    const req = request({ host: "127.0.0.1", port, path }, (res) => {
      res.once("data", () => {
        req.destroy();
        setTimeout(resolve, 100);
      });
    });
    req.on("error", () => {});
    req.end();
  });
}
