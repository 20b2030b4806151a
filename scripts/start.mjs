// `npm start`: serve the compiled server, rebuilding it first when a source changed since the
// last build, so an edited checkout never serves old code. Plain JavaScript for the same reason
// as build.mjs: loading tsx costs more than the build it would replace.
import { pathToFileURL } from "node:url";
import { build, isStale, SERVER } from "./build.mjs";

if (isStale()) {
  const t = performance.now();
  await build();
  console.log(`rebuilt dist/ from src/ in ${Math.round(performance.now() - t)} ms`);
}
await import(pathToFileURL(SERVER).href);
