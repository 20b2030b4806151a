import { parseArgs } from "node:util";
import { z } from "zod";
import { synthesize } from "../src/synth/write.js";

/** npm run synth -- --studies 1000000 --out bench-results/1m.db [--seed 1] */
const Args = z.object({
  studies: z.coerce.number().int().min(1).max(50_000_000),
  out: z.string().min(1),
  seed: z.coerce.number().int().min(0).max(0xffffffff).default(1),
});

const { values } = parseArgs({
  options: { studies: { type: "string" }, out: { type: "string" }, seed: { type: "string" } },
});
const parsed = Args.safeParse(values);
if (!parsed.success) {
  console.error(`usage: npm run synth -- --studies N --out FILE.db [--seed N]\n${z.prettifyError(parsed.error)}`);
  process.exit(2);
}

const summary = synthesize({ ...parsed.data, onProgress: progressLine() });
process.stderr.write("\n");
console.log(
  `${parsed.data.out}: ${summary.studies} studies, ${summary.works} works, ${summary.results} results, ` +
    `${summary.reviews} reviews in ${(summary.ms / 1000).toFixed(1)} s (seed ${parsed.data.seed}; ` +
    Object.entries(summary.phases).map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`).join(", ") + ")",
);

/** A one-line progress bar on stderr; on a pipe it prints a line per step instead of redrawing. */
function progressLine() {
  const started = performance.now();
  return (done: number, total: number) => {
    const share = done / total;
    const bar = "#".repeat(Math.round(share * 30)).padEnd(30, ".");
    const rate = Math.round(done / ((performance.now() - started) / 1000));
    const line = `[${bar}] ${done.toLocaleString("en")}/${total.toLocaleString("en")} studies, ${rate.toLocaleString("en")}/s`;
    process.stderr.write(process.stderr.isTTY ? `\r${line}` : `${line}\n`);
  };
}
