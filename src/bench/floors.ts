import type Database from "better-sqlite3";
import { DIM_SQL } from "../summary/sets.js";

/**
 * The best raw SQL we know for each API answer, run straight through better-sqlite3: the floor the
 * API's query functions are measured against. Filters and sorts are fixed strings here (the bench
 * picks them), never user input.
 */
export const FILTER_SQL: Record<string, { where: string; params: unknown[] }> = {
  none: { where: "1", params: [] },
  organ: { where: "s.organ = ?", params: ["brain"] },
  strategy: { where: "s.strategy = ?", params: ["fine-tuning"] },
  backbone: { where: "EXISTS (SELECT 1 FROM study_backbones b WHERE b.study_id = s.id AND b.backbone = ?)", params: ["VGG-16"] },
  condition: { where: "s.condition LIKE ? ESCAPE '\\'", params: ["%tumor%"] },
  modality: { where: "s.modality = ?", params: ["MRI"] },
  year: { where: "s.year >= ?", params: [2020] },
  accuracy: { where: "a.value >= ?", params: [95] },
  q: { where: "s.id IN (SELECT rowid FROM studies_fts WHERE studies_fts MATCH ?)", params: ['"transfer"*'] },
  review: { where: "s.review_id = ?", params: ["synth-0001"] },
};

export const SORT_SQL: Record<string, string> = {
  id: "s.id",
  year: "s.year, s.id",
  "-year": "s.year DESC, s.id DESC",
  accuracy: "a.value, s.id",
  "-accuracy": "a.value DESC, s.id DESC",
  organ: "s.organ, s.id",
  "-organ": "s.organ DESC, s.id DESC",
};

const ACCURACY_JOIN = "LEFT JOIN study_results a ON a.study_id = s.id AND a.metric = 'accuracy'";

/** Count plus one page of fully shaped studies (backbones, accuracy, citation) in two statements. */
export function studiesPageFloor(sqlite: Database.Database, filter: string, sort: string, limit: number, seek?: { sql: string; params: unknown[] }) {
  const f = FILTER_SQL[filter]!;
  // The count joins accuracy only when the filter reads it: SQLite keeps an unused LEFT JOIN.
  const count = sqlite.prepare(`SELECT count(*) FROM studies s ${filter === "accuracy" ? ACCURACY_JOIN : ""} WHERE ${f.where}`).pluck();
  const page = sqlite.prepare(
    `SELECT s.id, s.organ, s.condition, s.strategy, s.year, s.modality, s.method_text, s.source_table, s.source_row,
            c.printed, c.work_id, c.confidence, c.evidence, a.value, a.low, a.high, a.text,
            (SELECT group_concat(backbone, '; ') FROM study_backbones b WHERE b.study_id = s.id) AS backbones
     FROM studies s ${ACCURACY_JOIN} LEFT JOIN citation_links c ON c.study_id = s.id
     WHERE ${f.where} ${seek ? `AND ${seek.sql}` : ""} ORDER BY ${SORT_SQL[sort]} LIMIT ?`,
  );
  return () => {
    count.get(...f.params);
    return page.all(...f.params, ...(seek?.params ?? []), limit + 1);
  };
}

// The same key expressions (studies s, study_backbones b) as the summary tables are built from.
const GROUP_SQL: Record<string, string> = DIM_SQL;

const FIGURES = `count(*), count(m.value), avg(m.value), percentile_cont(m.value, 0.25), median(m.value),
  percentile_cont(m.value, 0.75), min(m.value), max(m.value)`;
const MEASURED = "LEFT JOIN study_results m ON m.study_id = s.id AND m.metric = 'accuracy'";

/** Per-group count and the metric's mean, quartiles, min and max, all in one GROUP BY. */
export function statsFloor(sqlite: Database.Database, groupBy: string[]) {
  const keys = groupBy.map((k) => GROUP_SQL[k]!).join(", ");
  const backbone = groupBy.includes("backbone") ? "LEFT JOIN study_backbones b ON b.study_id = s.id" : "";
  const stmt = sqlite.prepare(`SELECT ${keys}, ${FIGURES} FROM studies s ${MEASURED} ${backbone} GROUP BY ${keys}`);
  const distinct = groupBy.includes("backbone") ? sqlite.prepare("SELECT count(*) FROM studies").pluck() : null;
  return () => {
    distinct?.get();
    return stmt.all();
  };
}

/** Per-year studies and median, per-year-and-series counts, and the two half-period medians. */
export function trendsFloor(sqlite: Database.Database, series: string) {
  const perYear = sqlite.prepare(`SELECT s.year, count(*), count(m.value), median(m.value) FROM studies s ${MEASURED} GROUP BY s.year`);
  const backbone = series === "backbone" ? "LEFT JOIN study_backbones b ON b.study_id = s.id" : "";
  const perSeries = sqlite.prepare(`SELECT s.year, ${GROUP_SQL[series]}, count(*) FROM studies s ${backbone} GROUP BY 1, 2`);
  const half = sqlite.prepare(`SELECT median(m.value) FROM studies s JOIN study_results m ON m.study_id = s.id AND m.metric = 'accuracy' WHERE s.year BETWEEN ? AND ?`).pluck();
  return () => {
    perYear.all();
    perSeries.all();
    half.get(2000, 2012);
    return half.get(2013, 2025);
  };
}

/** Strategies and backbones of one organ with their figures and the ids behind each option. */
export function recommendationsFloor(sqlite: Database.Database, organ: string) {
  const byStrategy = sqlite.prepare(
    `SELECT s.strategy, ${FIGURES}, max(s.year), group_concat(s.id, ',' ORDER BY s.id) FROM studies s ${MEASURED} WHERE s.organ = ? GROUP BY s.strategy`,
  );
  const byBackbone = sqlite.prepare(
    `SELECT b.backbone, ${FIGURES}, max(s.year), group_concat(s.id, ',' ORDER BY s.id) FROM studies s ${MEASURED}
     LEFT JOIN study_backbones b ON b.study_id = s.id WHERE s.organ = ? GROUP BY b.backbone`,
  );
  const conditions = sqlite.prepare("SELECT count(DISTINCT condition) FROM studies WHERE organ = ?").pluck();
  return () => {
    const parse = (rows: unknown[][]) => rows.map((r) => String(r.at(-1) ?? "").split(",").map(Number));
    parse(byStrategy.raw().all(organ) as unknown[][]);
    parse(byBackbone.raw().all(organ) as unknown[][]);
    return conditions.get(organ);
  };
}

/** A substring search over title, authors and venue: count plus a page with entries and links. */
export function referenceSearchFloor(sqlite: Database.Database, q: string, limit: number) {
  const where = "(title LIKE @p ESCAPE '\\' OR authors LIKE @p ESCAPE '\\' OR venue LIKE @p ESCAPE '\\')";
  const count = sqlite.prepare(`SELECT count(*) FROM works WHERE ${where}`).pluck();
  const page = sqlite.prepare(`SELECT * FROM works WHERE ${where} ORDER BY id LIMIT @limit`);
  const entries = sqlite.prepare("SELECT work_id, printed_number FROM work_entries WHERE work_id IN (SELECT value FROM json_each(?))");
  const links = sqlite.prepare("SELECT work_id, study_id FROM citation_links WHERE work_id IN (SELECT value FROM json_each(?))");
  return () => {
    const pattern = `%${q}%`;
    count.get({ p: pattern });
    const rows = page.all({ p: pattern, limit: limit + 1 }) as { id: number }[];
    const ids = JSON.stringify(rows.map((r) => r.id));
    entries.all(ids);
    return links.all(ids);
  };
}

/** A filter combination as fixed SQL over studies s (the accuracy row joined as a when it reads it). */
export type FilterSql = { where: string; params: unknown[]; accuracy?: boolean };

const joinsFor = (f: FilterSql) => (f.accuracy ? ACCURACY_JOIN : "");

/** Filtered stats: one GROUP BY over the matching studies, each filter left to SQLite's planner. */
export function filteredStatsFloor(sqlite: Database.Database, groupBy: string[], f: FilterSql) {
  const keys = groupBy.map((k) => GROUP_SQL[k]!).join(", ");
  const backbone = groupBy.includes("backbone") ? "LEFT JOIN study_backbones b ON b.study_id = s.id" : "";
  const stmt = sqlite.prepare(`SELECT ${keys}, ${FIGURES} FROM studies s ${joinsFor(f)} ${MEASURED} ${backbone} WHERE ${f.where} GROUP BY ${keys}`);
  const distinct = groupBy.includes("backbone") ? sqlite.prepare(`SELECT count(*) FROM studies s ${joinsFor(f)} WHERE ${f.where}`).pluck() : null;
  return () => {
    distinct?.get(...f.params);
    return stmt.all(...f.params);
  };
}

/** Filtered trends: per-year figures, per-year-and-series counts and the two half-period medians. */
export function filteredTrendsFloor(sqlite: Database.Database, series: string, f: FilterSql) {
  const perYear = sqlite.prepare(`SELECT s.year, count(*), count(m.value), median(m.value) FROM studies s ${joinsFor(f)} ${MEASURED} WHERE ${f.where} GROUP BY s.year`);
  const backbone = series === "backbone" ? "LEFT JOIN study_backbones b ON b.study_id = s.id" : "";
  const perSeries = sqlite.prepare(`SELECT s.year, ${GROUP_SQL[series]}, count(*) FROM studies s ${joinsFor(f)} ${backbone} WHERE ${f.where} GROUP BY 1, 2`);
  const half = sqlite
    .prepare(`SELECT median(m.value) FROM studies s ${joinsFor(f)} JOIN study_results m ON m.study_id = s.id AND m.metric = 'accuracy' WHERE ${f.where} AND s.year BETWEEN ? AND ?`)
    .pluck();
  return () => {
    perYear.all(...f.params);
    perSeries.all(...f.params);
    half.get(...f.params, 2000, 2012);
    return half.get(...f.params, 2013, 2025);
  };
}

/** Filtered recommendations: the figures, latest year and first 100 ids per option, and the distinct conditions. */
export function filteredRecommendationsFloor(sqlite: Database.Database, f: FilterSql) {
  const option = (key: string, join: string) =>
    sqlite.prepare(
      `SELECT ${key}, ${FIGURES}, max(s.year) FROM studies s ${MEASURED} ${join} WHERE ${f.where} GROUP BY ${key}`,
    );
  const byStrategy = option("s.strategy", "");
  const byBackbone = option("b.backbone", "LEFT JOIN study_backbones b ON b.study_id = s.id");
  const ids = sqlite.prepare(
    `SELECT k, id FROM (SELECT s.strategy AS k, s.id, row_number() OVER (PARTITION BY s.strategy ORDER BY s.id) AS r FROM studies s WHERE ${f.where}
       UNION ALL SELECT b.backbone, s.id, row_number() OVER (PARTITION BY b.backbone ORDER BY s.id) FROM studies s JOIN study_backbones b ON b.study_id = s.id WHERE ${f.where})
     WHERE r <= 100`,
  );
  const conditions = sqlite.prepare(`SELECT count(DISTINCT condition) FROM studies s WHERE ${f.where}`).pluck();
  return () => {
    byStrategy.all(...f.params);
    byBackbone.all(...f.params);
    ids.all(...f.params, ...f.params);
    return conditions.get(...f.params);
  };
}
