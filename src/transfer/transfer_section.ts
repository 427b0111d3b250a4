/**
 * The `model` section of a run config for the transfer family: which
 * pretrained backbone, in which mode, with which head. The run config's
 * model section (src/experiment) takes it as one of its families; the
 * transfer code reads its type from here.
 *
 * @module
 */
import { z } from "zod";
import { BACKBONE_NAMES } from "./backbone_registry.ts";
import { NORMALIZATION_NAMES } from "./normalization.ts";

const rate = z.number().min(0).lt(1);

/** Any tfjs model by path or URL (see CustomBackboneConfig in backbone_registry.ts). */
const customBackboneSchema = z.strictObject({
  /** model.json: a path relative to the project, a file:// URL, or an http(s):// URL (fetched only then). */
  url: z.string().min(1),
  /** The layer (layers model) or node (graph model) whose output is the feature vector. */
  featureNode: z.string().min(1),
  /** Side of the square input the model expects, in pixels. */
  inputSize: z.number().int().min(8).max(1024),
  channels: z.union([z.literal(1), z.literal(3)]),
  /** A preset name, or per-channel { mean, std } on 0..255 pixels. */
  normalization: z.union([
    z.enum(NORMALIZATION_NAMES),
    z.strictObject({ mean: z.array(z.number()).min(1).max(3), std: z.array(z.number().positive()).min(1).max(3) }),
  ]),
  /** How a 4-D feature output becomes a vector. */
  pooling: z.enum(["avg", "max", "flatten"]).default("avg"),
});

/**
 * The schema of the `model` section of the transfer family: a backbone, how
 * it is used and the head on its features.
 *
 * @example
 * ```ts
 * const section = transferSectionSchema.parse({ family: "transfer", backbone: "face_api_expression" });
 * console.assert(section.mode === "frozen" && section.head.dropout === 0);
 * ```
 */
export const transferSectionSchema = z.strictObject({
  family: z.literal("transfer"),
  /** A registry name (backbone_registry.ts) or a custom model. */
  backbone: z.union([z.enum(BACKBONE_NAMES), customBackboneSchema]),
  /** frozen: cached features + a trained head; fine_tune: also train the last backbone layers; pretrained: the packaged classifier as it is. */
  mode: z.enum(["frozen", "fine_tune", "pretrained"]).default("frozen"),
  /** The classifier on the features: hidden ReLU widths (empty: linear) and dropout. */
  head: z.strictObject({
    hiddenUnits: z.array(z.number().int().min(1)).default([]),
    dropout: rate.default(0),
  }).default({ hiddenUnits: [], dropout: 0 }),
  /** fine_tune: backbone layers with weights that train, counted from the output end. */
  unfreezeLast: z.number().int().min(1).default(4),
  /** fine_tune: multiplies training.optimizer.learningRate for end-to-end training. */
  learningRateScale: z.number().gt(0).max(1).default(0.1),
  /** fine_tune: epochs of head-only training on cached features before the backbone is unfrozen. */
  headWarmupEpochs: z.number().int().min(0).default(5),
});

/** The transfer variant of the model section. */
export type TransferSection = z.infer<typeof transferSectionSchema>;
