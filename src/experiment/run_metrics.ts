/**
 * What metrics.json holds for each kind of run: a single run's
 * {@linkcode RunMetrics}, a transfer run's {@linkcode TransferRunMetrics}
 * (which adds the collapse check and what the backbone did), and an ensemble run's {@linkcode EnsembleMetrics},
 * which adds the combiner, the members' own scores and their diversity. The
 * record formats live with the run store, below every writer and reader
 * (runs, ensembles, compare, the CLI, notebooks).
 *
 * @module
 */
import type { Interval } from "../eval/confidence_interval.ts";
import type { SplitMetrics } from "../eval/evaluate_predictions.ts";
import type { TtaConfig } from "../predict/tta_config.ts";
import type { StopReason } from "../train/fit.ts";
import type { TransferMetrics } from "../transfer/transfer_metrics.ts";

/** metrics.json of a run. */
export interface RunMetrics {
  classes: string[];
  synthetic: boolean;
  stopReason: StopReason;
  epochsTrained: number;
  /** 1-based epoch whose weights were kept (best on `training.keepBestOn`), or the last. */
  keptEpoch: number;
  /** The test-time augmentation validation and test were scored with (the config's `tta`); null or absent (older runs) for one view. */
  tta?: TtaConfig | null;
  validation: SplitMetrics;
  test?: SplitMetrics;
}

/** metrics.json of a transfer run: the usual metrics, plus what the transfer family adds (see {@linkcode TransferMetrics}). */
export interface TransferRunMetrics extends RunMetrics, TransferMetrics {}

/** The ways an ensemble combines its members. */
export const COMBINERS = ["soft_vote", "weighted_soft_vote", "majority_vote", "stacking", "log_linear_pool"] as const;

/** One of {@linkcode COMBINERS}. */
export type CombinerName = typeof COMBINERS[number];

/** Headline scores of one split. */
export interface SplitSummary {
  accuracyInterval: Interval;
  macroF1: number;
  /** Mean negative log-probability of the true class (probabilities floored at 1e-15). */
  logLoss: number;
}

/** A member's scores on the images the ensemble was evaluated on (with its TTA). */
export interface MemberSummary {
  runId: string;
  name: string;
  tta: TtaConfig | null;
  validation: SplitSummary;
  test: SplitSummary | null;
}

/** Pairwise diversity of ensemble members on one split. */
export interface MemberDiversity {
  /** Member names, in member order (rows and columns of the matrices). */
  members: string[];
  /** Images compared. */
  count: number;
  /** Accuracy of each member. */
  accuracy: number[];
  /** `disagreement[a][b]`: share of images on which members a and b predict different classes. */
  disagreement: number[][];
  /**
   * `errorCorrelation[a][b]`: Pearson correlation, over images, of the two
   * members' error indicators (1 wrong, 0 right). Null when a member is right
   * on every image or wrong on every one (no variance).
   */
  errorCorrelation: (number | null)[][];
}

/** metrics.json of an ensemble run. */
export interface EnsembleMetrics extends RunMetrics {
  ensemble: {
    combiner: CombinerName;
    /** `out_of_fold` when the combiner was fitted (see fitCombiner), `direct` otherwise. */
    validationMode: "out_of_fold" | "direct";
    /**
     * Weights per member: the weighted soft vote's (summing to 1), or the log-linear pool's (the
     * exponent of each member's probabilities; its class biases are in model/ensemble.json); null otherwise.
     */
    weights: number[] | null;
    validationLogLoss: number;
    testLogLoss: number | null;
    members: MemberSummary[];
    /** Pairwise disagreement and error correlation on validation. */
    diversity: MemberDiversity;
  };
}
