/**
 * How a metric id is written in prose: abbreviations in capitals, every other id as words. No
 * imports, so the dashboard's bundle can take it as the API's sentences do.
 */
const NAMES: Record<string, string> = { auc: "AUC", auprc: "AUPRC", f1: "F1", npv: "NPV", mcc: "MCC", dice: "Dice" };

/** The metric as written inside a sentence: "accuracy", "AUC", "balanced accuracy". */
export const metricName = (metric: string) => NAMES[metric] ?? metric.replace(/-/g, " ");
