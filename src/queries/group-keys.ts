import { studies, studyBackbones } from "../db/schema.js";

export const GROUP_KEYS = ["organ", "strategy", "backbone", "year", "modality", "condition"] as const;
export type GroupKey = (typeof GROUP_KEYS)[number];
export type KeyValue = string | number | null;

/** Each group key mapped to its column: the whitelist that keeps group_by out of SQL text. */
export const GROUP_COLUMNS = {
  organ: studies.organ,
  strategy: studies.strategy,
  backbone: studyBackbones.backbone,
  year: studies.year,
  modality: studies.modality,
  condition: studies.condition,
} as const;
