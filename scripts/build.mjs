// Plain JavaScript, not TypeScript: `npm start` runs it before anything is compiled, and loading
// tsx to read it would cost the start-up this build exists to save.
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const OUT_DIR = join(ROOT, "dist");
export const SERVER = join(OUT_DIR, "server.js");
const SELF = fileURLToPath(import.meta.url);
const PACKAGES_STAMP = join(ROOT, "node_modules", ".package-lock.json");

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
 * zod's namespace re-exports its ~40 translations of error messages (a third of what zod adds to
 * the bundle, parsed at every start); the server answers in English only, which zod's schemas
 * import directly, so the set of translations is left out.
 */
const englishOnlyZod = {
  name: "english-only-zod",
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes("node_modules/zod/") ? { path: "zod-locales", namespace: "english-only-zod" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "english-only-zod" }, () => ({ contents: "export {};", loader: "js" }));
  },
};

// Left to Node at run time: a native addon (better-sqlite3) and esbuild's binary, packages that
// read their own files (jsdom, swagger-ui-dist), and what only a lazy chunk imports anyway.
const EXTERNAL = ["better-sqlite3", "esbuild", "jsdom", "swagger-ui-dist", "@citation-js/*", "@observablehq/plot"];

/**
 * Bundles src/server.ts and the packages it imports into dist/: one file to read and compile
 * instead of some 300 modules resolved one by one, which was most of the start-up. Code
 * splitting keeps each dynamic import() a chunk of its own, so jsdom, citation-js, esbuild and
 * Plot are still loaded on first use only.
 */
export async function build(outDir = OUT_DIR) {
  const { build: esbuild } = await import("esbuild");
  const startedAt = Date.now();
  const result = await esbuild({
    absWorkingDir: ROOT,
    // Worker threads are entries of their own (a worker starts from a file): the brief's renderer
    // and the column store's background build.
    entryPoints: { server: "src/server.ts", "render-worker": "src/render/worker.ts", "columns-worker": "src/columns/worker.ts" },
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    external: EXTERNAL,
    // Bundled CommonJS packages still call require() for Node's own modules.
    banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
    // Where src/worker-thread.ts finds the bundled workers, relative to its own source URL (what
    // import.meta.url becomes in the bundle, see sourceRelativeUrls); unset, it loads the sources.
    define: { LITREVIEW_DIST: JSON.stringify(relative(join(ROOT, "src"), outDir).split("\\").join("/")) },
    sourcemap: "linked",
    metafile: true,
    logLevel: "warning",
    plugins: [sourceRelativeUrls, englishOnlyZod],
  });
  // Chunks of earlier builds (their names hold a content hash) would otherwise pile up.
  const written = new Set(Object.keys(result.metafile.outputs).map((p) => join(ROOT, p)));
  for (const name of readdirSync(outDir)) if (!written.has(join(outDir, name))) rmSync(join(outDir, name));
  // What the build read (packages included: they are bundled too) and when it started, for
  // isStale; paths relative to the project (absWorkingDir).
  // A plugin's virtual module ("namespace:path") is no file.
  const inputs = Object.keys(result.metafile.inputs).filter((p) => !/^[a-z-]+:/.test(p));
  writeFileSync(join(outDir, "build.json"), JSON.stringify({ startedAt, inputs }, null, 1));
}

/**
 * Whether dist/ may differ from what src/ would build: no stamp, or an input (or this script)
 * changed after the last build started. A new file only matters once an input imports it, which
 * changes that input. The bundled packages are not stat'ed one by one (two thirds of the inputs,
 * and of the time this check added to every start): npm rewrites node_modules/.package-lock.json
 * whenever it installs, updates or removes a package, so that one file stands for them all.
 */
export function isStale(outDir = OUT_DIR) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(outDir, "build.json"), "utf8"));
    statSync(join(outDir, "server.js"));
  } catch {
    return true;
  }
  const ours = stamp.inputs.filter((p) => !p.includes("node_modules/"));
  const packages = ours.length < stamp.inputs.length ? [PACKAGES_STAMP] : [];
  const files = [...ours.map((p) => join(ROOT, p)), ...packages, SELF, join(dirname(SELF), "start.mjs")];
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
