#!/usr/bin/env node
// The CLI is TypeScript run through tsx, like the server: register tsx's ESM loader, then load it.
import { register } from "tsx/esm/api";

register();
const { runMain } = await import("../src/cli/main.ts");
process.exitCode = await runMain(process.argv.slice(2));
