// Plain JavaScript, not TypeScript: `npm start` runs it before anything is compiled, and loading
// tsx to read it would cost the start-up this build exists to save.
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const OUT_DIR = join(ROOT, "dist");
export const SERVER = join(OUT_DIR, "server.js");
// What the last build read, and when it started: `isStale` compares every input against it.
const STAMP = join(OUT_DIR, "build.json");
const SELF = fileURLToPath(import.meta.url);

/**
 * Modules find their files next to their source (`new URL("../../migrations", import.meta.url)`
 * in src/db/client.ts, the dashboard's assets in src/web/). In a bundle every module's
 * import.meta.url would be the output file's, so each module's is rewritten to its own source
 * file's URL, computed relative to the output file: the paths stay right wherever the project
 * is moved, and src/ stays the one place assets live.
 */
const sourceRelativeUrls = {
  name: "source-relative-import-meta-url",
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const text = readFileSync(args.path, "utf8");
      if (!text.includes("import.meta.url")) return undefined;
      // Every output file (entry and chunks) is written directly in dist/.
      const fromOut = relative(build.initialOptions.outdir, args.path).split("\\").join("/");
      return { contents: text.replaceAll("import.meta.url", `new URL(${JSON.stringify(fromOut)}, import.meta.url).href`), loader: "ts" };
    });
  },
};

/**
 * Bundles src/server.ts into dist/ with every package left external (node_modules is read at run
 * time, as from the sources). Code splitting keeps each dynamic import() a chunk of its own, so
 * jsdom, citation-js, esbuild and Plot are still loaded on first use only.
 */
export async function build(outDir = OUT_DIR) {
  const { build: esbuild } = await import("esbuild");
  const startedAt = Date.now();
  const result = await esbuild({
    absWorkingDir: ROOT,
    entryPoints: { server: "src/server.ts" },
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    sourcemap: "linked",
    metafile: true,
    logLevel: "warning",
    plugins: [sourceRelativeUrls],
  });
  // Chunks of earlier builds (their names hold a content hash) would otherwise pile up.
  const written = new Set(Object.keys(result.metafile.outputs).map((p) => join(ROOT, p)));
  for (const name of readdirSync(outDir)) if (!written.has(join(outDir, name))) rmSync(join(outDir, name));
  // Paths relative to the project (absWorkingDir), so a moved project keeps its stamp.
  writeFileSync(join(outDir, "build.json"), JSON.stringify({ startedAt, inputs: Object.keys(result.metafile.inputs) }, null, 1));
}

/**
 * Whether dist/ may differ from what src/ would build: no stamp, or an input (or this script)
 * changed after the last build started. A new file only matters once an input imports it, which
 * changes that input. About a hundred stat calls, a few milliseconds.
 */
export function isStale() {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(STAMP, "utf8"));
    statSync(SERVER);
  } catch {
    return true;
  }
  const files = [...stamp.inputs.map((p) => join(ROOT, p)), SELF, join(dirname(SELF), "start.mjs")];
  return files.some((file) => {
    try {
      return statSync(file).mtimeMs >= stamp.startedAt;
    } catch {
      return true; // an input was removed or renamed
    }
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const t = performance.now();
  await build();
  console.error(`built ${relative(ROOT, SERVER)} in ${Math.round(performance.now() - t)} ms`);
}
