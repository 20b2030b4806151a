import { Worker, type WorkerOptions } from "node:worker_threads";

// Set by scripts/build.mjs to dist/ relative to src/ (the bundle rewrites import.meta.url to each
// module's source URL, this file's included); absent under tsx and vitest.
declare const LITREVIEW_DIST: string | undefined;

/**
 * Starts a worker thread: in the build from its own bundled entry (dist/<name>.js), from the
 * sources (tsx, vitest) by registering tsx's loader first and then importing the TypeScript
 * entry, since a worker does not inherit the loader hooks of the thread that starts it.
 */
export function startWorker(name: string, source: URL, options: WorkerOptions = {}): Worker {
  if (typeof LITREVIEW_DIST === "string") return new Worker(new URL(`${LITREVIEW_DIST}/${name}.js`, import.meta.url), options);
  const tsx = import.meta.resolve("tsx/esm/api");
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(source.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}
