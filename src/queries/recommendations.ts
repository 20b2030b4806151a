import { and, asc, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { studies } from "../db/schema.js";
import { studyConditions, type StudyFilters } from "./filters.js";
import { countConditions, groupFigures, type GroupFigures } from "./group-stats.js";
import { countStudies } from "./study-count.js";
import { metricName } from "./metric-names.js";
import type { MetricSummary } from "./statistics.js";
import { thousands } from "./thousands.js";

/**
 * Supporting study ids listed per option, lowest first; `n` says how many there are in all. A
 * million-study corpus would otherwise put hundreds of thousands of ids in one answer.
 */
export const STUDY_IDS_SHOWN = 100;

/** Fewer studies than this behind an option is called thin evidence. */
export const THIN_EVIDENCE = 3;

export const RANKING_RULE =
  `Options backed by at least ${THIN_EVIDENCE} studies come first; within each tier, the higher median of the metric first, then more studies, then the most recent year.`;

export type Domain = { organ?: string; condition?: string; review?: string; metric?: string };
export type RankedOption = {
  rank: number;
  name: string;
  n: number;
  summary: MetricSummary;
  spread: { iqr: number | null; range: number | null };
  latest_year: number | null;
  study_ids: number[];
  thin_evidence: boolean;
};
export type Recommendations = { count: number; strategies: RankedOption[]; backbones: RankedOption[]; caveats: string[] };

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** What an option's ranking is made of, however it was aggregated. */
export type OptionFigures = Pick<RankedOption, "name" | "n" | "summary" | "latest_year" | "study_ids">;

function rank(figures: OptionFigures[]): RankedOption[] {
  const options = figures.map((f) => ({
    ...f,
    spread: {
      iqr: f.summary.q3 === null || f.summary.q1 === null ? null : r4(f.summary.q3 - f.summary.q1),
      range: f.summary.max === null || f.summary.min === null ? null : r4(f.summary.max - f.summary.min),
    },
    thin_evidence: f.n < THIN_EVIDENCE,
  }));
  options.sort(
    (a, b) =>
      Number(a.thin_evidence) - Number(b.thin_evidence) ||
      (b.summary.median ?? -Infinity) - (a.summary.median ?? -Infinity) ||
      b.n - a.n ||
      (b.latest_year ?? 0) - (a.latest_year ?? 0) ||
      a.name.localeCompare(b.name),
  );
  return options.map(({ name, n, summary, spread, latest_year, study_ids, thin_evidence }, i) => ({
    rank: i + 1,
    name,
    n,
    summary,
    spread,
    latest_year,
    study_ids,
    thin_evidence,
  }));
}

const describe = (d: Domain) =>
  [d.organ === undefined ? "" : `organ "${d.organ}"`, d.condition === undefined ? "" : `condition containing "${d.condition}"`]
    .filter(Boolean)
    .join(" and ");

/** The figures a recommendation is built from; the strategy and backbone lists leave out unnamed options. */
export type DomainFigures = {
  count: number;
  strategies: OptionFigures[];
  backbones: OptionFigures[];
  /** Studies naming no backbone, stating no strategy, reporting no accuracy. */
  unnamed: number;
  unstated: number;
  missing: number;
  /** Distinct conditions; asked only when more than one study matches. */
  conditions: () => number;
};

/** Ranks the options and writes the caveats: everything after the aggregation, shared with the test oracle. */
export function recommendFromFigures(domain: Domain, f: DomainFigures): Recommendations {
  const { count } = f;
  const strategies = rank(f.strategies);
  const backbones = rank(f.backbones);
  const caveats: string[] = [];
  const what = describe(domain);

  if (count === 0) {
    caveats.push(`No studies in the evidence base match ${what}, so there is no evidence to rank; the review may name this domain without reporting any study of it.`);
    return { count, strategies, backbones, caveats };
  }
  if (count < THIN_EVIDENCE) {
    caveats.push(`Only ${thousands(count)} ${count === 1 ? "study matches" : "studies match"} ${what}: too few to tell strategies or backbones apart.`);
  }
  const thin = [...strategies, ...backbones].filter((o) => o.thin_evidence).map((o) => `${o.name} (${o.n})`);
  if (thin.length > 0 && count >= THIN_EVIDENCE) {
    caveats.push(`Thin evidence (fewer than ${THIN_EVIDENCE} studies) behind: ${thin.join(", ")}.`);
  }
  if (count > 1) {
    const conditions = f.conditions();
    caveats.push(
      `The figures come from ${conditions > 1 ? `${conditions} different tasks (conditions),` : "one condition but"} different datasets and sample sizes; they are not directly comparable, so the ranking summarizes what was reported rather than proving one method better.`,
    );
  }
  if (f.unnamed > 0) caveats.push(`${thousands(f.unnamed)} of ${thousands(count)} studies do not name a backbone and are left out of the backbone ranking.`);
  if (f.unstated > 0) caveats.push(`${thousands(f.unstated)} of ${thousands(count)} studies do not state a strategy and are left out of the strategy ranking.`);
  if (f.missing > 0) caveats.push(`${thousands(f.missing)} of ${thousands(count)} studies report no ${metricName(domain.metric ?? "accuracy")}: they count in n but not in the medians.`);
  return { count, strategies, backbones, caveats };
}

/**
 * The first supporting studies of one option, by id. A backbone option is walked from whichever
 * side is smaller, its study_backbones rows or the domain's studies: either walk stops after
 * STUDY_IDS_SHOWN matches, but a rare backbone in a large organ (or the reverse) would otherwise
 * test every study of the larger side.
 */
function firstStudyIds(db: Db, filters: StudyFilters, option: { strategy: StudyFilters["strategy"] } | { backbone: string }, domainCount: number): number[] {
  if ("backbone" in option && countStudies(db, { backbone: option.backbone }) < domainCount) {
    const where = and(...studyConditions(filters));
    // CROSS JOIN keeps study_backbones the outer loop (SQLite does not reorder it).
    const rows = db.all<{ id: number }>(
      sql`SELECT b.study_id AS id FROM study_backbones b CROSS JOIN ${studies} ON ${studies.id} = b.study_id
          WHERE b.backbone = ${option.backbone}${where ? sql` AND ${where}` : sql``} ORDER BY b.study_id LIMIT ${STUDY_IDS_SHOWN}`,
    );
    return rows.map((r) => r.id);
  }
  // A strategy is too common to drive the walk: `+` keeps SQLite on the domain's own index
  // (without ANALYZE statistics it would pick the strategy's and test the organ per row).
  const own = "strategy" in option ? [sql`+${studies.strategy} = ${option.strategy ?? null}`] : studyConditions(option);
  return db
    .select({ id: studies.id })
    .from(studies)
    .where(and(...studyConditions(filters), ...own))
    .orderBy(asc(studies.id))
    .limit(STUDY_IDS_SHOWN)
    .all()
    .map((r) => r.id);
}

const named = (db: Db, filters: StudyFilters, by: "strategy" | "backbone", groups: GroupFigures[], domainCount: number): OptionFigures[] =>
  groups
    .filter((g) => g.keys[0] !== null && g.keys[0] !== undefined)
    .map((g) => {
      const name = String(g.keys[0]);
      const option = by === "strategy" ? { strategy: name as StudyFilters["strategy"] } : { backbone: name };
      const study_ids = g.firstIds ?? firstStudyIds(db, filters, option, domainCount);
      return { name, n: g.count, summary: g.summary, latest_year: g.latestYear, study_ids };
    });

/**
 * Strategies and backbones ranked for a domain by what the studies report, with caveats that say
 * plainly how far the evidence goes. An empty domain is an answer (empty ranking), not an error.
 */
export function recommend(db: Db, domain: Domain): Recommendations {
  const filters = { organ: domain.organ, condition: domain.condition, review: domain.review };
  // From the summaries or aggregated in SQL (see group-stats.ts): one row per option reaches JS.
  const metric = domain.metric ?? "accuracy";
  const asked = { filters, metric, withLatestYear: true, withFirstIds: STUDY_IDS_SHOWN };
  const byStrategy = groupFigures(db, { ...asked, groupBy: ["strategy"] });
  const byBackbone = groupFigures(db, { ...asked, groupBy: ["backbone"] });
  const count = byStrategy.reduce((sum, g) => sum + g.count, 0);
  return recommendFromFigures(domain, {
    count,
    strategies: named(db, filters, "strategy", byStrategy, count),
    backbones: named(db, filters, "backbone", byBackbone, count),
    unnamed: byBackbone.find((g) => g.keys[0] === null)?.count ?? 0,
    unstated: byStrategy.find((g) => g.keys[0] === null)?.count ?? 0,
    missing: byStrategy.reduce((sum, g) => sum + g.summary.n_missing, 0),
    conditions: () => countConditions(db, filters),
  });
}
