import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Db } from "../../src/db/client.js";
import { importReview } from "../../src/import/import.js";
import { seededDb } from "../helpers/seeded.js";

const dermEye = (name: string) => fileURLToPath(new URL(`../fixtures/reviews/derm-eye/${name}`, import.meta.url));

/**
 * The AUC results of the derm-eye fixture (studies.csv, printed as fractions; ROC-AUC is AUC),
 * read by hand from the sheet: han2018 skin 0.96, gulshan2016 eye 0.991, diazpinto2019 eye
 * 0.9605, shin2016 chest 0.94.
 */
export const DERM_EYE_AUC = { skin: [0.96], eye: [0.991, 0.9605], chest: [0.94] };

/**
 * The curated review with the derm-eye review imported beside it, through the real import: a
 * second review whose AUC is on the 0–1 scale, for the pages that must not show it as a percent.
 */
export async function seededWithDermEye(): Promise<Db> {
  const db = seededDb();
  const dataDir = mkdtempSync(join(tmpdir(), "litreview-web-"));
  try {
    const r = await importReview({
      studiesPath: dermEye("studies.csv"),
      referencesPath: dermEye("references.bib"),
      reviewId: "derm-eye",
      dataDir,
      db,
    });
    if (r.loaded?.status !== "loaded") throw new Error(`derm-eye did not load: ${JSON.stringify(r.report)}`);
  } finally {
    // The review is in the in-memory database now; its written folder is not needed.
    rmSync(dataDir, { recursive: true, force: true });
  }
  return db;
}
