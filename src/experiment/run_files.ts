/**
 * Names of everything in a run folder, defined once (see DESIGN.md, "A run folder").
 *
 * @module
 */

/** File and folder names inside `results/runs/<id>/`. */
export const RUN_FILES = {
  config: "config.json",
  manifest: "manifest.json",
  history: "history.csv",
  metrics: "metrics.json",
  predictions: "predictions.csv",
  model: "model",
  /**
   * The training state after the last finished epoch (src/train/fit_state.ts), rewritten each epoch, so an
   * interrupted or crashed run can be resumed (`fer resume`); removed when the run completes.
   */
  checkpoint: "checkpoint.bin",
  plots: "plots",
  /** Files the dataset load skipped (unreadable, unknown class folders, non-images), when there were any. */
  skipped: "skipped_files.json",
  /** `fer eval <run> <root>`: the run's model on other datasets, one entry per dataset and settings (src/experiment/save_dataset_evaluation.ts). */
  evaluations: "evaluations.json",
  /** `fer robustness`: accuracy under the perturbation suite (src/robustness/). */
  robustness: "robustness.json",
  /** `fer fairness`: metrics per group (src/fairness/). */
  fairness: "fairness.json",
  /** `fer fairness --groups conditions`: the image-condition groups it made. */
  fairnessGroups: "fairness_groups.csv",
  /** `fer card`: the model card, for people (src/card/). */
  modelCard: "MODEL_CARD.md",
  /** `fer card`: the model card with the Model Card Toolkit's fields. */
  modelCardJson: "model_card.json",
} as const;

/** Columns of history.csv, in order; the metric keys used in logs and plots. */
export const HISTORY_COLUMNS = ["epoch", "loss", "accuracy", "val_loss", "val_accuracy", "lr", "seconds"] as const;

/** One row of history.csv. */
export type HistoryRow = Record<typeof HISTORY_COLUMNS[number], number>;

/** Where runs live under a results root. */
export const RUNS_FOLDER = "runs";
