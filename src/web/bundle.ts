import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const ENTRY = fileURLToPath(new URL("./client/main.ts", import.meta.url));

let pending: Promise<string> | null = null;

/**
 * The dashboard script, bundled with Observable Plot and d3 into one file on first request and
 * kept in memory: nothing is fetched from a CDN, and a fresh `npm install && npm start` needs no
 * separate build step.
 */
export function dashboardScript(): Promise<string> {
  if (!pending) {
    pending = build({
      entryPoints: [ENTRY],
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2020",
      minify: true,
      write: false,
      legalComments: "none",
      logLevel: "silent",
    }).then((r) => r.outputFiles[0]!.text);
    // A failed build is not cached: the next request tries again.
    pending.catch(() => {
      pending = null;
    });
  }
  return pending;
}
