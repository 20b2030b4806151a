import type { Db } from "../db/client.js";
import { studyResults } from "../db/schema.js";

/** Metric names present in the data, for validating `metric`. */
export function listMetrics(db: Db): string[] {
  return db
    .selectDistinct({ metric: studyResults.metric })
    .from(studyResults)
    .orderBy(studyResults.metric)
    .all()
    .map((r) => r.metric);
}
