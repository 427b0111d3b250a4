/**
 * The experiment config: one zod schema, the types inferred from it, and
 * `parseRunConfig`, the only way from JSON (or a notebook object) to a
 * `RunConfig`. Its output, defaults filled in, is what config.json stores.
 *
 * @module
 */
import { z } from "zod";
import { DEFAULT_CLASSES } from "../data/classes.ts";
import { BACKEND_REQUESTS } from "../backend/backend_info.ts";
import { MATH_PRECISIONS } from "../backend/math_precision.ts";
import { modelSectionSchema } from "./_model_section.ts";
import { formatConfigIssues, unknownTagError } from "../core/format_config_issues.ts";
import { transferConfigIssues } from "../transfer/transfer_config_issues.ts";
import { ttaConfigSchema } from "../predict/tta_config.ts";
import { ConfigError } from "../core/errors.ts";
import { checkModel } from "../models/build_model.ts";
import type { ModelConfig } from "../models/model_config.ts";

const positiveInt = z.number().int().min(1);
const fraction = z.number().min(0).max(1);

const augmentationSchema = z.strictObject({
  /** Mirror left-right with probability 0.5. */
  horizontalFlip: z.boolean().default(false),
  /** Rotation drawn from [-r, r] degrees. */
  rotationDegrees: z.number().min(0).max(180).default(0),
  /** Shift drawn from [-s, s] of the width and height. */
  shiftFraction: z.number().min(0).max(0.5).default(0),
  /** Zoom factor drawn from [1 - z, 1 + z]. */
  zoomFraction: z.number().min(0).max(0.9).default(0),
  /** Brightness delta drawn from [-b, b], as a fraction of the pixel range. */
  brightness: z.number().min(0).max(1).default(0),
  /** Contrast factor drawn from [1 - c, 1 + c] around the image mean. */
  contrast: z.number().min(0).max(1).default(0),
  /** Random erasing of one rectangle; null for none. */
  erasing: z.strictObject({
    probability: fraction,
    minArea: fraction.default(0.02),
    maxArea: fraction.default(0.2),
  }).nullable().default(null),
  /** Gaussian noise: each image's standard deviation drawn from [0, n] of the pixel range, per-pixel draws. */
  noise: fraction.default(0),
});

const datasetSchema = z.strictObject({
  /**
   * Dataset root, or "auto": data/facial_emotion_images, then
   * ../shared/data/facial_emotion_images, else synthetic faces of the
   * configured classes. "auto:<name>" looks for data/<name>, then
   * ../shared/data/<name> (e.g. "auto:fer2013" for the 7-class FER-2013).
   */
  root: z.string().min(1).default("auto"),
  /** Class names in label order. */
  classes: z.array(z.string().min(1)).min(2).default([...DEFAULT_CLASSES]),
  /** Side of the square input in pixels. */
  size: z.number().int().min(8).max(512).default(48),
  /** 1 (grayscale) or 3 (grayscale replicated, for backbones). */
  channels: z.union([z.literal(1), z.literal(3)]).default(1),
  /** How pixels become model inputs. */
  preprocessing: z.enum(["scale_0_1", "standardize", "none"]).default("scale_0_1"),
  /** Histogram-equalise each image at decode time. */
  equalize: z.boolean().default(false),
  /** Share of train held out for validation when the dataset has no validation folder. */
  validationFraction: z.number().gt(0).lt(1).default(0.15),
  /**
   * Gaussian blur (sigma in pixels of the decoded image) applied to validation
   * and test inputs, never to train. For a dataset whose train split is blurrier
   * than its evaluation splits (as the shared dataset's once was, before its
   * correction): it evaluates on inputs that match training. None of the shipped
   * configs uses it; to measure robustness to blur use `fer robustness`. 0 turns it off.
   */
  evalBlurSigma: z.number().min(0).max(20).default(0),
  /**
   * Leave out validation and test images with an exact or near copy in train
   * (perceptual hash within 6 bits), for a clean protocol. Either way every
   * evaluation also reports accuracy on the leak-free part of each split.
   */
  dropLeaked: z.boolean().default(false),
  /** Keep at most this many images per split (stratified, seeded); null keeps all. For smoke runs. */
  limitPerSplit: z.strictObject({
    train: positiveInt.optional(),
    validation: positiveInt.optional(),
    test: positiveInt.optional(),
  }).nullable().default(null),
  augmentation: augmentationSchema.default(augmentationSchema.parse({})),
});

const optimizerSchema = z.discriminatedUnion("name", [
  z.strictObject({
    name: z.literal("adam"),
    learningRate: z.number().positive().default(1e-3),
    beta1: z.number().min(0).lt(1).default(0.9),
    beta2: z.number().min(0).lt(1).default(0.999),
    epsilon: z.number().positive().default(1e-7),
  }),
  z.strictObject({
    name: z.literal("sgd"),
    learningRate: z.number().positive().default(0.01),
    momentum: z.number().min(0).lt(1).default(0.9),
    nesterov: z.boolean().default(true),
  }),
  z.strictObject({
    name: z.literal("rmsprop"),
    learningRate: z.number().positive().default(1e-3),
    decay: z.number().min(0).lt(1).default(0.9),
    momentum: z.number().min(0).lt(1).default(0),
  }),
], unknownTagError("name", ["adam", "sgd", "rmsprop"]));

const monitorSchema = z.enum(["val_loss", "val_accuracy", "loss", "accuracy"]);

const scheduleSchema = z.discriminatedUnion("name", [
  z.strictObject({ name: z.literal("constant") }),
  z.strictObject({
    name: z.literal("reduce_on_plateau"),
    monitor: monitorSchema.default("val_loss"),
    factor: z.number().gt(0).lt(1).default(0.5),
    patience: positiveInt.default(5),
    minLr: z.number().min(0).default(1e-6),
  }),
  z.strictObject({
    name: z.literal("cosine"),
    minLr: z.number().min(0).default(0),
    warmupEpochs: z.number().int().min(0).default(0),
  }),
  /**
   * Smith's one-cycle policy (src/train/one_cycle_schedule.ts), set at every
   * step: the rate rises from learningRate / initialDivisor to the optimizer's
   * learningRate (the peak) over warmupFraction of the steps, then falls to the
   * first rate / finalDivisor; the momentum (Adam's beta1, SGD's or RMSProp's
   * momentum, replacing the optimizer's own) goes from high to low and back.
   * momentum null leaves the optimizer's momentum alone.
   */
  z.strictObject({
    name: z.literal("one_cycle"),
    warmupFraction: z.number().gt(0).lt(1).default(0.3),
    initialDivisor: z.number().gte(1).default(25),
    finalDivisor: z.number().gte(1).default(1e4),
    momentum: z.strictObject({ low: z.number().min(0).lt(1).default(0.85), high: z.number().min(0).lt(1).default(0.95) })
      .refine((m) => m.low <= m.high, { message: "momentum.low must not exceed momentum.high" })
      .nullable().default({ low: 0.85, high: 0.95 }),
  }),
], unknownTagError("name", ["constant", "reduce_on_plateau", "cosine", "one_cycle"]));

const trainingSchema = z.strictObject({
  epochs: positiveInt.default(30),
  batchSize: positiveInt.default(32),
  optimizer: optimizerSchema.default({ name: "adam", learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }),
  schedule: scheduleSchema.default({ name: "constant" }),
  /** Stop after `patience` epochs without improvement; null trains all epochs. */
  earlyStopping: z.strictObject({
    monitor: monitorSchema.default("val_loss"),
    patience: positiveInt.default(10),
    minDelta: z.number().min(0).default(0),
  }).nullable().default(null),
  /** Restore the weights of the best epoch on this metric at the end (also after Ctrl-C). */
  keepBestOn: monitorSchema.nullable().default("val_accuracy"),
  /** Loss weight per class: null (equal), "balanced" (inverse frequency) or one number per class. */
  classWeights: z.union([z.literal("balanced"), z.array(z.number().min(0))]).nullable().default(null),
  labelSmoothing: z.number().min(0).lt(1).default(0),
  /** L2 coefficient on conv and dense kernels. */
  l2: z.number().min(0).default(0),
  /**
   * Mixup or CutMix of training batches (src/train/mix_batch.ts): `alpha` shapes
   * Beta(alpha, alpha), the per-batch share of a sample's own target;
   * `probability` is the share of batches mixed. null: plain samples.
   */
  mix: z.discriminatedUnion("name", [
    z.strictObject({ name: z.literal("mixup"), alpha: z.number().gt(0).default(0.2), probability: z.number().min(0).max(1).default(1) }),
    z.strictObject({ name: z.literal("cutmix"), alpha: z.number().gt(0).default(1), probability: z.number().min(0).max(1).default(0.5) }),
  ], unknownTagError("name", ["mixup", "cutmix"])).nullable().default(null),
  /**
   * An exponential moving average of the weights (src/train/weight_average.ts),
   * updated after every step; validation, keepBestOn and the saved model use
   * the average, the logged training loss and accuracy the raw weights.
   * `decay` 0.999 averages over about the last thousand steps. null: none.
   */
  weightAverage: z.strictObject({ decay: z.number().min(0).lt(1).default(0.999) }).nullable().default(null),
  /**
   * Start from a trained run's weights instead of a random initialisation
   * (src/experiment/initial_weights.ts): a run id, or the path of a run config
   * (relative to the project), whose newest identical completed run is used, or
   * trained first when there is none. The model section, input size, channels
   * and preprocessing must be the source's; its classifier keeps the columns of
   * the classes both runs share by name when the source has every class of this
   * run, and starts fresh otherwise. null: a seeded random initialisation.
   */
  initFrom: z.string().min(1).nullable().default(null),
  /**
   * Knowledge distillation (src/experiment/teacher_targets.ts): trained runs
   * whose averaged probabilities on each training image (over each teacher's
   * own `tta` views) join the true label in the training target:
   * `(1 - weight) * label + weight * teacher`, the teacher's probabilities
   * softened as `p^(1/temperature)`, renormalised. Teachers are run ids or run
   * config paths (trained first when they have no completed run, as for
   * initFrom); each must read the same input size, channels, preprocessing and
   * equalisation and have every class of this run. Their probabilities are
   * averaged, never fitted on validation, so the validation split stays
   * unseen by the target. null: the labels alone.
   */
  distill: z.strictObject({
    teachers: z.array(z.string().min(1)).min(1),
    weight: z.number().gt(0).max(1).default(0.5),
    temperature: z.number().gt(0).default(1),
  }).nullable().default(null),
});

/** The schema of a run config. */
export const runConfigSchema = z.strictObject({
  /** Short name; goes into the run id. */
  name: z.string().min(1).max(60),
  /** Seeds shuffling, splits, augmentation, initialisation, dropout and bootstrap. */
  seed: z.number().int().min(0).max(0xffffffff).default(42),
  backend: z.enum(BACKEND_REQUESTS).default("auto"),
  /**
   * Float math of the kernels. "bf16": native TensorFlow on a CPU with bf16
   * units (AMX, AVX-512 BF16) computes convolutions and matmuls with bf16
   * inputs and float32 sums (oneDNN's BF16 mode): faster, accuracy measured in
   * the README. Elsewhere a bf16 run computes float32 and its manifest says so.
   */
  precision: z.enum(MATH_PRECISIONS).default("float32"),
  dataset: datasetSchema.default(datasetSchema.parse({})),
  model: modelSectionSchema,
  training: trainingSchema.default(trainingSchema.parse({})),
  /**
   * Test-time augmentation of the run's own evaluation (metrics.json,
   * predictions.csv): each validation and test image's probabilities are
   * averaged over these views. Training, and the per-epoch validation that
   * picks the kept weights, see one view. `fer eval` uses it unless told
   * `--tta none`; ensembles set their members' TTA themselves. Not for the
   * transfer family, whose heads are evaluated on cached backbone features.
   */
  tta: ttaConfigSchema.nullable().default(null),
  /** Free text recorded with the run. */
  notes: z.string().default(""),
}).superRefine((config, ctx) => {
  // Checks across sections; single fields are checked by their own schemas.
  const { optimizer, schedule } = config.training;
  if (schedule.name === "one_cycle" && schedule.momentum !== null && optimizer.name !== "adam" && optimizer.momentum === 0) {
    ctx.addIssue({
      code: "custom",
      path: ["training", "schedule", "momentum"],
      message: `one_cycle moves the optimizer's momentum, and ${optimizer.name} with momentum 0 has none; ` +
        "set training.schedule.momentum to null, or give training.optimizer a momentum (0.9, say)",
    });
  }
  if (config.model.family !== "transfer") {
    // The builder's own check against the dataset's input size and classes, so an option it refuses (a crop too
    // large for the stages) fails here, before data are loaded or a run folder is written, not at the model's build.
    try {
      checkModel(scratchModelConfig(config));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      ctx.addIssue({ code: "custom", path: ["model"], message: error.message });
    }
    return;
  }
  if (config.training.initFrom !== null) {
    ctx.addIssue({
      code: "custom",
      path: ["training", "initFrom"],
      message: "a transfer run starts from its backbone (model.backbone) and a new head; remove training.initFrom, " +
        "or use it with a from-scratch family (small_cnn, vgg_like, ...) to start from another run's weights",
    });
  }
  if (config.training.distill !== null) {
    ctx.addIssue({
      code: "custom",
      path: ["training", "distill"],
      message: "a transfer run's head trains on cached backbone features, where teacher targets are not applied; remove training.distill, " +
        "or distil into a from-scratch family (small_cnn, vgg_like, ...)",
    });
  }
  if (config.tta !== null) {
    ctx.addIssue({
      code: "custom",
      path: ["tta"],
      message: "a transfer run's head is evaluated on cached backbone features, one view per image: remove tta " +
        "and evaluate the finished run with TTA by fer eval <run> <dataset> --tta flip,crop (it runs the whole model on images)",
    });
  }
  for (const issue of transferConfigIssues({ dataset: config.dataset, model: config.model, training: config.training })) {
    ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
  }
});

/**
 * What the model builder takes for a from-scratch run: its model section with
 * the dataset's input shape and class count and the run's seed.
 *
 * @param config A run config's model and dataset sections and seed.
 * @returns The builder's config (src/models/build_model.ts).
 * @throws {ConfigError} For a transfer section, whose model is built from its backbone (runTransfer).
 * @example
 * ```ts
 * const model = buildModel(scratchModelConfig(parseRunConfig({ name: "x", model: { family: "small_cnn" } })));
 * ```
 */
export function scratchModelConfig(
  config: { model: z.infer<typeof modelSectionSchema>; dataset: { size: number; channels: number; classes: readonly string[] }; seed: number },
): ModelConfig {
  if (config.model.family === "transfer") {
    throw new ConfigError('Transfer models are trained by runTransfer; model.family "transfer" cannot train from scratch');
  }
  return {
    ...config.model,
    inputShape: [config.dataset.size, config.dataset.size, config.dataset.channels],
    numClasses: config.dataset.classes.length,
    seed: config.seed,
  };
}

/** A resolved run config: every default filled in. */
export type RunConfig = z.infer<typeof runConfigSchema>;
/** The dataset section of {@linkcode RunConfig}. */
export type DatasetConfig = RunConfig["dataset"];
/** The training section of {@linkcode RunConfig}. */
export type TrainingConfig = RunConfig["training"];
/** The augmentation settings of {@linkcode DatasetConfig}. */
export type AugmentationSettings = DatasetConfig["augmentation"];

/**
 * Validates a config and fills in its defaults.
 *
 * @param input Parsed JSON or an object from a notebook.
 * @param source Where it came from, for messages (a file path).
 * @returns The resolved config.
 * @throws {ConfigError} Naming each bad field, what was found and what is allowed.
 * @example
 * ```ts
 * const config = parseRunConfig({ name: "cnn", model: { family: "small_cnn" } });
 * console.assert(config.training.batchSize === 32 && config.dataset.size === 48);
 * ```
 */
export function parseRunConfig(input: unknown, source = "config"): RunConfig {
  const result = runConfigSchema.safeParse(input);
  if (!result.success) throw formatConfigIssues(result.error.issues, source);
  return result.data;
}
