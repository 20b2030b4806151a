import { and, count, eq, isNotNull, ne, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { perConnection } from "../db/prepared.js";
import { studies, studyResults } from "../db/schema.js";
import type { Scale } from "../ingest/review-files.js";

export type MetricInfo = {
  metric: string;
  scale: Scale | null;
  /** Reported results of this metric, and how many of them carry a number (n/a is kept as text). */
  results: number;
  valued: number;
};

/** Every metric in the data with its scale and counts; read from the (metric, value) index. */
export function listMetrics(db: Db): MetricInfo[] {
  const rows = db
    .select({ metric: studyResults.metric, results: count(), valued: count(studyResults.value) })
    .from(studyResults)
    .groupBy(studyResults.metric)
    .orderBy(studyResults.metric)
    .all();
  return rows.map((r) => ({ ...r, scale: metricScale(db, r.metric) }));
}

/** Whether any study reports this metric: one probe of the (metric, value) index. */
export function metricReported(db: Db, metric: string): boolean {
  return probes(db).reported.get({ metric }) !== undefined;
}

// Every aggregate request checks its metric: built once per connection, as a drizzle build costs
// more than the two index probes (half of an uncached group_by=organ, profiled at 200k).
const probes = perConnection((db) => ({
  reported: db.select({ one: sql`1` }).from(studyResults).where(eq(studyResults.metric, sql.placeholder("metric"))).limit(1).prepare(),
  scale: db
    .select({ scale: studyResults.scale })
    .from(studyResults)
    .where(and(eq(studyResults.metric, sql.placeholder("metric")), isNotNull(studyResults.scale)))
    .limit(1)
    .prepare(),
}));

/** The one scale a metric's values are on (the loader refuses a second), or null when it has none. */
export function metricScale(db: Db, metric: string): Scale | null {
  return probes(db).scale.get({ metric })?.scale ?? null;
}

/**
 * Metrics that other reviews store on another scale than the one given here: one metric on two
 * scales would put 0.95 and 95 into one median.
 */
export function conflictingScales(db: Db, scales: Map<string, Scale | null>, reviewId: string): string[] {
  const out: string[] = [];
  for (const [metric, scale] of scales) {
    const other = db
      .select({ scale: studyResults.scale })
      .from(studyResults)
      .innerJoin(studies, eq(studies.id, studyResults.studyId))
      .where(and(eq(studyResults.metric, metric), sql`${studyResults.scale} is not ${scale}`, ne(studies.reviewId, reviewId)))
      .limit(1)
      .get();
    if (other) out.push(`metric ${metric} is stored on the ${other.scale ?? "no"} scale; this review gives it on the ${scale ?? "no"} scale`);
  }
  return out;
}
