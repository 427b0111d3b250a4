/**
 * Robustness: a perturbation suite (lighting, image quality, occlusion, pose;
 * severities 1-5, seeded), a run's accuracy under it (robustness.json, plots,
 * corruption errors against a baseline run) and comparisons across runs.
 *
 * @module
 */
export { type Perturbation, PERTURBATION_FAMILIES, type PerturbationFamily, type Severity, SEVERITIES } from "./perturbation.ts";
export { PERTURBATIONS, perturbImage, perturbImageSet, selectPerturbations } from "./perturbation_suite.ts";
export { type MeasureOptions, measureRobustness, ROBUSTNESS_BATCH_SIZE, type RobustnessMeasurement } from "./measure_robustness.ts";
export {
  type FamilySummary,
  type PerturbationSummary,
  type RobustnessReport,
  type RobustnessResult,
  type RobustnessScore,
  summariseRobustness,
  worstPerturbations,
} from "./robustness_report.ts";
export { readRobustnessReport, ROBUSTNESS_EXAMPLES_FILE, type RobustnessOptions, runRobustness } from "./run_robustness.ts";
export { type ExampleSheetOptions, robustnessExampleSheet } from "./robustness_examples.ts";
export {
  measuredOnSameImages,
  newestCompletedRuns,
  readRobustnessRuns,
  type RobustnessRun,
  robustnessSeedTable,
  robustnessComparisonTable,
  robustnessPerturbationTable,
} from "./robustness_comparison.ts";
