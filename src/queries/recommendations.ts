import type { Db } from "../db/client.js";
import { countConditions, groupFigures, type GroupFigures } from "./group-stats.js";
import type { MetricSummary } from "./statistics.js";

/** Fewer studies than this behind an option is called thin evidence. */
export const THIN_EVIDENCE = 3;

export const RANKING_RULE =
  `Options backed by at least ${THIN_EVIDENCE} studies come first; within each tier, higher median accuracy first, then more studies, then the most recent year.`;

export type Domain = { organ?: string; condition?: string; review?: string };
export type RankedOption = {
  rank: number;
  name: string;
  n: number;
  accuracy: MetricSummary;
  spread: { iqr: number | null; range: number | null };
  latest_year: number | null;
  study_ids: number[];
  thin_evidence: boolean;
};
export type Recommendations = { count: number; strategies: RankedOption[]; backbones: RankedOption[]; caveats: string[] };

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

function rank(groups: GroupFigures[]): RankedOption[] {
  // Unnamed options (null key) are reported as a caveat instead.
  const options = groups
    .filter((g) => g.keys[0] !== null && g.keys[0] !== undefined)
    .map((g) => {
      const accuracy = g.summary;
      return {
        name: String(g.keys[0]),
        n: g.count,
        accuracy,
        spread: {
          iqr: accuracy.q3 === null || accuracy.q1 === null ? null : r4(accuracy.q3 - accuracy.q1),
          range: accuracy.max === null || accuracy.min === null ? null : r4(accuracy.max - accuracy.min),
        },
        latest_year: g.latestYear,
        study_ids: g.studyIds,
        thin_evidence: g.count < THIN_EVIDENCE,
      };
    });
  options.sort(
    (a, b) =>
      Number(a.thin_evidence) - Number(b.thin_evidence) ||
      (b.accuracy.median ?? -Infinity) - (a.accuracy.median ?? -Infinity) ||
      b.n - a.n ||
      (b.latest_year ?? 0) - (a.latest_year ?? 0) ||
      a.name.localeCompare(b.name),
  );
  return options.map((o, i) => ({ rank: i + 1, ...o }));
}

const describe = (d: Domain) =>
  [d.organ === undefined ? "" : `organ "${d.organ}"`, d.condition === undefined ? "" : `condition containing "${d.condition}"`]
    .filter(Boolean)
    .join(" and ");

/**
 * Strategies and backbones ranked for a domain by what the studies report, with caveats that say
 * plainly how far the evidence goes. An empty domain is an answer (empty ranking), not an error.
 */
export function recommend(db: Db, domain: Domain): Recommendations {
  const filters = { organ: domain.organ, condition: domain.condition, review: domain.review };
  // Aggregated in SQL (see group-stats.ts): one row per strategy and per backbone reaches JS.
  const byStrategy = groupFigures(db, { filters, groupBy: ["strategy"], metric: "accuracy", withStudyIds: true });
  const byBackbone = groupFigures(db, { filters, groupBy: ["backbone"], metric: "accuracy", withStudyIds: true });
  const count = byStrategy.reduce((sum, g) => sum + g.count, 0);
  const strategies = rank(byStrategy);
  const backbones = rank(byBackbone);
  const caveats: string[] = [];
  const what = describe(domain);

  if (count === 0) {
    caveats.push(`No studies in the evidence base match ${what}, so there is no evidence to rank; the review may name this domain without reporting any study of it.`);
    return { count, strategies, backbones, caveats };
  }
  if (count < THIN_EVIDENCE) {
    caveats.push(`Only ${count} ${count === 1 ? "study matches" : "studies match"} ${what}: too few to tell strategies or backbones apart.`);
  }
  const thin = [...strategies, ...backbones].filter((o) => o.thin_evidence).map((o) => `${o.name} (${o.n})`);
  if (thin.length > 0 && count >= THIN_EVIDENCE) {
    caveats.push(`Thin evidence (fewer than ${THIN_EVIDENCE} studies) behind: ${thin.join(", ")}.`);
  }
  if (count > 1) {
    const conditions = countConditions(db, filters);
    caveats.push(
      `The accuracies come from ${conditions > 1 ? `${conditions} different tasks (conditions),` : "one condition but"} different datasets and sample sizes; they are not directly comparable, so the ranking summarizes what was reported rather than proving one method better.`,
    );
  }
  const unnamed = byBackbone.find((g) => g.keys[0] === null)?.count ?? 0;
  if (unnamed > 0) caveats.push(`${unnamed} of ${count} studies do not name a backbone and are left out of the backbone ranking.`);
  const unstated = byStrategy.find((g) => g.keys[0] === null)?.count ?? 0;
  if (unstated > 0) caveats.push(`${unstated} of ${count} studies do not state a strategy and are left out of the strategy ranking.`);
  const missing = byStrategy.reduce((sum, g) => sum + g.summary.n_missing, 0);
  if (missing > 0) caveats.push(`${missing} of ${count} studies report no accuracy: they count in n but not in the medians.`);
  return { count, strategies, backbones, caveats };
}
