/**
 * fairness.json: metrics per group of images, the gaps between groups, and
 * what could not be judged. The shape `fer fairness` writes and `fer card` reads.
 *
 * @module
 */
import type { GroupGapScores, GroupScores } from "../eval/group_metrics.ts";

/** Metrics of one group (one value of an attribute, or of an intersection). */
export interface GroupMetrics extends GroupScores {
  group: string;
  /** Fewer images than the report's `minGroupSize`: shown, but left out of the gaps. */
  tooSmall: boolean;
}

/** Gaps between the groups of one attribute that are large enough to judge. */
export interface GroupGaps extends GroupGapScores {
  /** Groups compared (not too small). */
  compared: number;
}

/** One attribute (a column of the groups file) or an intersection of two (`gender x age`). */
export interface AttributeReport {
  attribute: string;
  groups: GroupMetrics[];
  gaps: GroupGaps;
}

/** The whole of fairness.json. */
export interface FairnessReport {
  runId: string;
  split: string;
  groupsFile: string;
  classes: string[];
  synthetic: boolean;
  /** Images of the split the groups file names. */
  matched: number;
  /** Images of the split the file does not name (left out). */
  unlisted: number;
  /** Rows of the file naming no image of the split: counted, with up to 10 examples. */
  unmatchedRows: { count: number; examples: string[] };
  /** Groups smaller than this are flagged `tooSmall`. */
  minGroupSize: number;
  /** The columns read as attributes. */
  attributes: string[];
  overall: GroupMetrics;
  perAttribute: AttributeReport[];
  /** Plain statements a reader must see (no demographic labels, inferred attributes, small groups). */
  notes: string[];
  createdAt: string;
}
