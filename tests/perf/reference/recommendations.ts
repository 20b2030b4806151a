import type { Db } from "../../../src/db/client.js";
import { groupedRows, type GroupedRow } from "./grouped-rows.js";
import { summarize, type MetricSummary } from "../../../src/queries/statistics.js";

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

function rank(rows: GroupedRow[]): RankedOption[] {
  const byName = new Map<string, GroupedRow[]>();
  for (const r of rows) {
    const name = r.keys[0];
    if (name === null || name === undefined) continue; // unnamed: reported as a caveat instead
    byName.set(String(name), [...(byName.get(String(name)) ?? []), r]);
  }
  const options = [...byName.entries()].map(([name, rs]) => {
    const accuracy = summarize(rs.map((r) => r.value));
    const years = rs.map((r) => r.year).filter((y): y is number => y !== null);
    return {
      name,
      n: rs.length,
      accuracy,
      spread: {
        iqr: accuracy.q3 === null || accuracy.q1 === null ? null : r4(accuracy.q3 - accuracy.q1),
        range: accuracy.max === null || accuracy.min === null ? null : r4(accuracy.max - accuracy.min),
      },
      latest_year: years.length ? Math.max(...years) : null,
      study_ids: rs.map((r) => r.studyId).sort((a, b) => a - b),
      thin_evidence: rs.length < THIN_EVIDENCE,
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
  const byStrategy = groupedRows(db, { filters, groupBy: ["strategy", "condition"], metric: "accuracy" });
  const byBackbone = groupedRows(db, { filters, groupBy: ["backbone"], metric: "accuracy" });
  const count = byStrategy.length;
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
    const conditions = new Set(byStrategy.map((r) => r.keys[1]));
    caveats.push(
      `The accuracies come from ${conditions.size > 1 ? `${conditions.size} different tasks (conditions),` : "one condition but"} different datasets and sample sizes; they are not directly comparable, so the ranking summarizes what was reported rather than proving one method better.`,
    );
  }
  const unnamed = byBackbone.filter((r) => r.keys[0] === null).length;
  if (unnamed > 0) caveats.push(`${unnamed} of ${count} studies do not name a backbone and are left out of the backbone ranking.`);
  const unstated = byStrategy.filter((r) => r.keys[0] === null).length;
  if (unstated > 0) caveats.push(`${unstated} of ${count} studies do not state a strategy and are left out of the strategy ranking.`);
  const missing = byStrategy.filter((r) => r.value === null).length;
  if (missing > 0) caveats.push(`${missing} of ${count} studies report no accuracy: they count in n but not in the medians.`);
  return { count, strategies, backbones, caveats };
}
