/**
 * Fairness: a run's metrics per group of images (from a groups file, or the
 * image conditions when no demographic labels exist), with intervals, gaps
 * and equalised-odds differences (fairness.json, plots).
 *
 * @module
 */
export type { AttributeReport, FairnessReport, GroupGaps, GroupMetrics } from "./fairness_report.ts";
export { type GroupsTable, KEY_COLUMNS, matchGroups, parseGroupsCsv, readGroupsFile } from "./groups_file.ts";
export { IMAGE_CONDITION_COLUMNS, imageConditionGroups } from "./image_condition_groups.ts";
export { type FairnessOptions, runFairness } from "./run_fairness.ts";
