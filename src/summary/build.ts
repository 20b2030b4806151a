import type Database from "better-sqlite3";
import { DIM_SQL, GROUPING_SETS, type GroupingSet } from "./sets.js";

/**
 * Builds and maintains the summary tables (docs/decisions/0005). Everything here is additive over
 * studies, so a review's contribution can be subtracted before it is replaced and added after,
 * in the loader's transaction, at a cost that follows the review, not the corpus.
 */

const KEY_SLOTS = 3;

function keyList(set: GroupingSet): string {
  return Array.from({ length: KEY_SLOTS }, (_, i) => (set.dims[i] ? DIM_SQL[set.dims[i]] : "NULL")).join(", ");
}

function from(set: GroupingSet, withResults: boolean): string {
  // A study that names no backbone is one row with a NULL backbone, as the stats' LEFT JOIN has it.
  const backbones = set.dims.includes("backbone") ? " LEFT JOIN study_backbones b ON b.study_id = s.id" : "";
  return `studies s${withResults ? " JOIN study_results r ON r.study_id = s.id" : ""}${backbones}`;
}

function where(scope: string | null, withResults: boolean): string {
  const parts = [withResults ? "r.value IS NOT NULL" : null, scope === null ? null : "s.review_id = @review"].filter(Boolean);
  return parts.length === 0 ? "" : ` WHERE ${parts.join(" AND ")}`;
}

/** The SELECTs that produce each summary table's rows, for the whole corpus or one review. */
function sources(scope: string | null): { counts: string; bins: string; values: string } {
  const counts: string[] = [];
  const bins: string[] = [];
  const values: string[] = [];
  for (const set of GROUPING_SETS) {
    const keys = keyList(set);
    counts.push(`SELECT '${set.name}', ${keys}, count(*) FROM ${from(set, false)}${where(scope, false)} GROUP BY 2, 3, 4`);
    if (!set.values) continue;
    // Totals in millionths (values carry at most six decimals): integer sums stay exact when a
    // review is subtracted and added again, where float sums would drift.
    bins.push(
      `SELECT '${set.name}', r.metric, ${keys}, floor(r.value), count(*), sum(cast(round(r.value * 1000000) AS INTEGER)) FROM ${from(set, true)}${where(scope, true)} GROUP BY 2, 3, 4, 5, 6`,
    );
    values.push(`SELECT '${set.name}', r.metric, ${keys}, r.value, count(*) FROM ${from(set, true)}${where(scope, true)} GROUP BY 2, 3, 4, 5, 6`);
  }
  return { counts: counts.join(" UNION ALL "), bins: bins.join(" UNION ALL "), values: values.join(" UNION ALL ") };
}

const COLUMNS = {
  summary_counts: { keys: ["grouping", "k0", "k1", "k2"], sums: ["n"] },
  summary_bins: { keys: ["grouping", "metric", "k0", "k1", "k2", "bin"], sums: ["n", "total"] },
  summary_values: { keys: ["grouping", "metric", "k0", "k1", "k2", "value"], sums: ["n"] },
} as const;
type Table = keyof typeof COLUMNS;
const TABLE_SOURCE = { summary_counts: "counts", summary_bins: "bins", summary_values: "values" } as const;

/** Rebuilds every summary from the data and marks them current. Cost follows the corpus. */
export function rebuildSummaries(sqlite: Database.Database): void {
  const src = sources(null);
  sqlite.transaction(() => {
    for (const table of Object.keys(COLUMNS) as Table[]) {
      const { keys, sums } = COLUMNS[table];
      sqlite.exec(`DELETE FROM ${table}`);
      sqlite.exec(`INSERT INTO ${table} (${[...keys, ...sums].join(", ")}) ${src[TABLE_SOURCE[table]]}`);
    }
    markCurrent(sqlite);
  })();
}

/**
 * Adds (sign 1) or subtracts (sign -1) one review's rows to the summaries. Keys may be NULL, so
 * rows are matched with IS, which SQLite can still answer from the index.
 */
export function applyReview(sqlite: Database.Database, review: string, sign: 1 | -1): void {
  const src = sources("scope");
  for (const table of Object.keys(COLUMNS) as Table[]) {
    const { keys, sums } = COLUMNS[table];
    const all = [...keys, ...sums].join(", ");
    const match = keys.map((k) => `t.${k} IS d.${k}`).join(" AND ");
    sqlite.exec(`DROP TABLE IF EXISTS temp.delta; CREATE TEMP TABLE delta AS SELECT ${all} FROM ${table} WHERE 0`);
    sqlite.prepare(`INSERT INTO temp.delta (${all}) ${src[TABLE_SOURCE[table]]}`).run({ review });
    if (sign === 1) {
      sqlite.exec(
        `INSERT INTO ${table} (${all}) SELECT ${keys.map((k) => `d.${k}`).join(", ")}, ${sums.map(() => "0").join(", ")}
         FROM temp.delta d WHERE NOT EXISTS (SELECT 1 FROM ${table} t WHERE ${match})`,
      );
    }
    sqlite.exec(
      `UPDATE ${table} AS t SET ${sums.map((s) => `${s} = t.${s} + (${sign}) * d.${s}`).join(", ")} FROM temp.delta d WHERE ${match}`,
    );
    if (sign === -1) {
      sqlite.exec(`DELETE FROM ${table} WHERE n = 0 AND rowid IN (SELECT t.rowid FROM temp.delta d JOIN ${table} t ON ${match})`);
    }
    sqlite.exec("DROP TABLE temp.delta");
  }
}

/** Whether the summaries describe the data as it is now (no write since they were brought up to date). */
export function summariesCurrent(sqlite: Database.Database): boolean {
  const row = sqlite.prepare("SELECT generation, built_generation AS built FROM summary_state WHERE id = 1").get() as
    | { generation: number; built: number | null }
    | undefined;
  return row !== undefined && row.built === row.generation;
}

/** Records that the summaries match the data as of now; call only after bringing them up to date. */
export function markCurrent(sqlite: Database.Database): void {
  sqlite.exec("UPDATE summary_state SET built_generation = generation WHERE id = 1");
}
