import type { Db } from "../../../src/db/client.js";
import { type Domain, type OptionFigures, type Recommendations, recommendFromFigures, STUDY_IDS_SHOWN } from "../../../src/queries/recommendations.js";
import { summarize } from "../../../src/queries/statistics.js";
import { groupedRows, type GroupedRow } from "./grouped-rows.js";

// The first (JavaScript) aggregation behind recommendations, kept as the reference the SQL version
// is checked against; ranking and caveats are the production ones.

function figures(rows: GroupedRow[]): OptionFigures[] {
  const byName = new Map<string, GroupedRow[]>();
  for (const r of rows) {
    const name = r.keys[0];
    if (name === null || name === undefined) continue; // unnamed: reported as a caveat instead
    byName.set(String(name), [...(byName.get(String(name)) ?? []), r]);
  }
  return [...byName.entries()].map(([name, rs]) => {
    const years = rs.map((r) => r.year).filter((y): y is number => y !== null);
    return {
      name,
      n: rs.length,
      summary: summarize(rs.map((r) => r.value)),
      latest_year: years.length ? Math.max(...years) : null,
      study_ids: rs.map((r) => r.studyId).sort((a, b) => a - b).slice(0, STUDY_IDS_SHOWN),
    };
  });
}

export function recommend(db: Db, domain: Domain): Recommendations {
  const filters = { organ: domain.organ, condition: domain.condition, review: domain.review };
  const byStrategy = groupedRows(db, { filters, groupBy: ["strategy", "condition"], metric: "accuracy" });
  const byBackbone = groupedRows(db, { filters, groupBy: ["backbone"], metric: "accuracy" });
  return recommendFromFigures(domain, {
    count: byStrategy.length,
    strategies: figures(byStrategy),
    backbones: figures(byBackbone),
    unnamed: byBackbone.filter((r) => r.keys[0] === null).length,
    unstated: byStrategy.filter((r) => r.keys[0] === null).length,
    missing: byStrategy.filter((r) => r.value === null).length,
    conditions: () => new Set(byStrategy.map((r) => r.keys[1])).size,
  });
}
