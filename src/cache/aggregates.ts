import { listMetrics } from "../queries/metrics.js";
import { recommend } from "../queries/recommendations.js";
import { getStats } from "../queries/stats.js";
import { getTrends } from "../queries/trends.js";
import { cachedQuery } from "./query-cache.js";

/**
 * The aggregate queries as the routes call them: answered from memory until the data changes.
 * The plain functions stay uncached for the CLI, the tests and the benchmark's uncached runs.
 */
export const cachedStats = cachedQuery(getStats);
export const cachedTrends = cachedQuery(getTrends);
export const cachedRecommendations = cachedQuery(recommend);
// Every stats request validates its metric against the data; that scan is an aggregate too.
export const cachedMetrics = cachedQuery((db: Parameters<typeof listMetrics>[0], _: null) => listMetrics(db));
