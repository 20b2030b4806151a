/**
 * The grouping sets the summaries keep (docs/decisions/0005). A set with `values` also keeps a
 * histogram of every metric, so its groups get exact means and quartiles; the others only count.
 * Chosen from what the API asks: every single key (stats, page counts), organ with strategy and
 * with backbone (two-key stats, recommendations), the year pairs a trend chart splits by, and the
 * triples that give an option's latest year. Anything else is answered by a scan.
 */
export const DIM_SQL = {
  review: "s.review_id",
  organ: "s.organ",
  strategy: "s.strategy",
  backbone: "b.backbone",
  year: "s.year",
  modality: "s.modality",
  condition: "s.condition",
} as const;
export type Dim = keyof typeof DIM_SQL;

export type GroupingSet = { name: string; dims: readonly Dim[]; values: boolean };

const set = (dims: Dim[], values: boolean): GroupingSet => ({ name: dims.join(","), dims, values });

export const GROUPING_SETS: readonly GroupingSet[] = [
  set([], true),
  set(["organ"], true),
  set(["strategy"], true),
  set(["backbone"], true),
  set(["year"], true),
  set(["modality"], true),
  set(["condition"], true),
  set(["review"], false),
  set(["organ", "strategy"], true),
  set(["organ", "backbone"], true),
  set(["organ", "condition"], false),
  set(["year", "strategy"], false),
  set(["year", "organ"], false),
  set(["year", "backbone"], false),
  set(["organ", "strategy", "year"], false),
  set(["organ", "backbone", "year"], false),
];

/** The kept set with exactly these dimensions (in any order), or undefined. */
export function findSet(dims: readonly Dim[], needValues: boolean): GroupingSet | undefined {
  const wanted = new Set(dims);
  if (wanted.size !== dims.length) return undefined;
  return GROUPING_SETS.find(
    (s) => s.dims.length === wanted.size && s.dims.every((d) => wanted.has(d)) && (s.values || !needValues),
  );
}
