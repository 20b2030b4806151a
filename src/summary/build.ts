import type Database from "better-sqlite3";
import { figuresKept, rebuildFigures, refreshFigures, type GroupRef } from "./figures.js";
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

/** Rows of one review (the `@review` parameter); the value histograms read only reported values. */
function ofReview(withResults: boolean): string {
  return ` WHERE ${withResults ? "r.value IS NOT NULL AND " : ""}s.review_id = @review`;
}

// Totals in millionths (values carry at most six decimals): integer sums stay exact when a review
// is subtracted and added again, where float sums would drift. The rebuild and the upkeep share it.
const millionths = (value: string) => `cast(round(${value} * 1000000) AS INTEGER)`;

/** The SELECTs that produce one review's contribution to each summary table. */
function reviewSources(): { counts: string; bins: string; values: string } {
  const counts: string[] = [];
  const bins: string[] = [];
  const values: string[] = [];
  for (const set of GROUPING_SETS) {
    const keys = keyList(set);
    counts.push(`SELECT '${set.name}', ${keys}, count(*) FROM ${from(set, false)}${ofReview(false)} GROUP BY 2, 3, 4`);
    if (!set.values) continue;
    bins.push(
      `SELECT '${set.name}', r.metric, ${keys}, floor(r.value), count(*), sum(${millionths("r.value")}) FROM ${from(set, true)}${ofReview(true)} GROUP BY 2, 3, 4, 5, 6`,
    );
    values.push(`SELECT '${set.name}', r.metric, ${keys}, r.value, count(*) FROM ${from(set, true)}${ofReview(true)} GROUP BY 2, 3, 4, 5, 6`);
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

/**
 * A set can be summed from a bigger kept set when the extra dimensions hold one value per study
 * (summing over backbone would count a study once per backbone). Bigger sets come first, and
 * each set is summed from the smallest one that can give it, so a rebuild scans the corpus
 * only for the sets nothing else gives, and every coarse histogram comes from its fine one.
 */
function derivation(set: GroupingSet, built: GroupingSet[]): GroupingSet | undefined {
  return built
    .filter((from) => set.dims.every((d) => from.dims.includes(d)) && from.dims.length > set.dims.length)
    .filter((from) => from.dims.every((d) => set.dims.includes(d) || d !== "backbone"))
    .sort((a, b) => a.dims.length - b.dims.length)[0];
}

function slotsFrom(set: GroupingSet, from: GroupingSet): string {
  return Array.from({ length: KEY_SLOTS }, (_, i) => (set.dims[i] ? `k${from.dims.indexOf(set.dims[i])}` : "NULL")).join(", ");
}

/** Rebuilds every summary from the data and marks them current. Cost follows the corpus. */
export function rebuildSummaries(sqlite: Database.Database): void {
  const temp = sqlite.pragma("temp_store", { simple: true });
  // The GROUP BYs sort up to a few million rows: in memory rather than in temporary files (a
  // setting SQLite only takes outside a transaction; the loader's rebuilds are small anyway).
  const switchTemp = !sqlite.inTransaction;
  if (switchTemp) sqlite.pragma("temp_store = MEMORY");
  try {
    sqlite.transaction(() => {
      for (const table of Object.keys(COLUMNS) as Table[]) sqlite.exec(`DELETE FROM ${table}`);
      // Every reported value beside its study's keys, read once in study order (a narrow copy
      // the value histograms group several times, instead of joining the wide tables each time).
      sqlite.exec(`DROP TABLE IF EXISTS temp.measured;
        CREATE TEMP TABLE measured AS SELECT s.id, s.review_id, s.organ, s.strategy, s.year, s.modality, s.condition, r.metric, r.value
        FROM studies s CROSS JOIN study_results r ON r.study_id = s.id WHERE r.value IS NOT NULL`);
      const order = [...GROUPING_SETS].sort((a, b) => b.dims.length - a.dims.length);
      const counted: GroupingSet[] = [];
      const measured: GroupingSet[] = [];
      for (const set of order) {
        const keys = keyList(set);
        const fromCounts = derivation(set, counted);
        sqlite.exec(
          fromCounts
            ? `INSERT INTO summary_counts (grouping, k0, k1, k2, n) SELECT '${set.name}', ${slotsFrom(set, fromCounts)}, sum(n) FROM summary_counts WHERE grouping = '${fromCounts.name}' GROUP BY 2, 3, 4`
            : `INSERT INTO summary_counts (grouping, k0, k1, k2, n) SELECT '${set.name}', ${keys}, count(*) FROM ${from(set, false)} GROUP BY 2, 3, 4`,
        );
        counted.push(set);
        if (!set.values) continue;
        const fromValues = derivation(set, measured);
        sqlite.exec(
          fromValues
            ? `INSERT INTO summary_values (grouping, metric, k0, k1, k2, value, n) SELECT '${set.name}', metric, ${slotsFrom(set, fromValues)}, value, sum(n) FROM summary_values WHERE grouping = '${fromValues.name}' GROUP BY 2, 3, 4, 5, 6`
            : `INSERT INTO summary_values (grouping, metric, k0, k1, k2, value, n) SELECT '${set.name}', s.metric, ${keys}, s.value, count(*) FROM temp.measured s${set.dims.includes("backbone") ? " LEFT JOIN study_backbones b ON b.study_id = s.id" : ""} GROUP BY 2, 3, 4, 5, 6`,
        );
        measured.push(set);
      }
      // Coarse from fine: one pass over the fine rows (a walk in JS measured no faster).
      sqlite.exec(
        `INSERT INTO summary_bins (grouping, metric, k0, k1, k2, bin, n, total)
         SELECT grouping, metric, k0, k1, k2, floor(value), sum(n), sum(${millionths("value")} * n) FROM summary_values GROUP BY 1, 2, 3, 4, 5, 6`,
      );
      sqlite.exec("DROP TABLE temp.measured");
      rebuildFigures(sqlite);
      sqlite.exec("UPDATE summary_state SET built_generation = generation, figures_generation = generation WHERE id = 1");
      // The write lock up front (a savepoint inside the loader's transaction): db:summarize beside
      // a loading server waits for it instead of failing when its snapshot goes stale.
    }).immediate();
  } finally {
    if (switchTemp) sqlite.pragma(`temp_store = ${temp}`);
  }
}

/**
 * Adds (sign 1) or subtracts (sign -1) one review's rows to the summaries. Keys may be NULL, so
 * rows are matched with IS, which SQLite can still answer from the index.
 */
export function applyReview(sqlite: Database.Database, review: string, sign: 1 | -1): void {
  const src = reviewSources();
  // The groups whose values change: their kept figures are computed again afterwards.
  let touched: GroupRef[] = [];
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
    if (table === "summary_values") touched = sqlite.prepare("SELECT DISTINCT grouping, metric, k0, k1, k2 FROM temp.delta").raw().all() as GroupRef[];
    sqlite.exec("DROP TABLE temp.delta");
  }
  // Only while they are kept: figures missing since migration 0008 wait for a whole rebuild.
  if (figuresKept(sqlite)) refreshFigures(sqlite, touched);
}

/** Whether the summaries describe the data as it is now (no write since they were brought up to date). */
export function summariesCurrent(sqlite: Database.Database): boolean {
  const row = sqlite.prepare("SELECT generation, built_generation AS built FROM summary_state WHERE id = 1").get() as
    | { generation: number; built: number | null }
    | undefined;
  return row !== undefined && row.built === row.generation;
}

/**
 * Whether nothing is left for a rebuild to do: the summaries are current and every group's
 * figures are kept (a database from before migration 0008 walks its histograms until rebuilt).
 */
export const summariesComplete = (sqlite: Database.Database) => summariesCurrent(sqlite) && figuresKept(sqlite);

/**
 * Records that the summaries match the data as of now; call only after bringing them up to date.
 * The figures follow only if they were kept up to the last update (applyReview refreshed every
 * group it changed); otherwise they stay marked as not kept until a rebuild.
 */
export function markCurrent(sqlite: Database.Database): void {
  sqlite.exec(
    `UPDATE summary_state SET figures_generation = CASE WHEN figures_generation = built_generation THEN generation END,
       built_generation = generation WHERE id = 1`,
  );
}
