/**
 * What a training step sees: a few training images as stored, after the
 * run's augmentation, and after each batch mix (mixup, CutMix), as image-grid
 * rows for notebook 01.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../core/errors.ts";
import type { Rng } from "../core/seed.ts";
import { augmentBatch } from "../data/augment.ts";
import { type AugmentationConfig, isAugmentationOff } from "../data/augmentation_config.ts";
import type { ImageSet } from "../data/image_set.ts";
import { oneHotLabels, toBatchTensor } from "../data/to_tensor.ts";
import { mixBatch, type MixOptions } from "../train/mix_batch.ts";
import type { GridRow } from "./image_grid.ts";

/** Options of {@linkcode trainingViewRows}. */
export interface TrainingViewOptions {
  /** Class names in label order, for the captions. */
  classes: readonly string[];
  /** The augmentation a run config applies (`dataset.augmentation`). */
  augmentation: AugmentationConfig;
  /** Batch mixes to show, each on the augmented images, as a training step applies it. @default [] */
  mixes?: readonly MixOptions[];
  /** Images per row (at least 2, so a mix has a partner). @default 8 */
  count?: number;
  /** Picks the images and draws augmentation and mixes. */
  rng: Rng;
}

/**
 * Rows for `imageGrid`: "as stored" (each tile captioned with its class),
 * "augmented" (the same images through `augmentation`), then one row per mix
 * (captioned with the image's own share and its partner's column). Pixels are
 * shown on a 0-255 scale (inputs in [0, 1], as `scale_0_1` gives).
 *
 * @param set A decoded split (training images).
 * @param options See {@linkcode TrainingViewOptions}.
 * @returns Rows in that order.
 * @throws {ConfigError} For fewer than 2 images, a split holding fewer, or images that are not square.
 * @example
 * ```ts
 * const rows = trainingViewRows(dataset.splits.train, { classes: dataset.classes, augmentation: config.dataset.augmentation, mixes: [{ name: "mixup", alpha: 0.4, probability: 1 }], rng: makeRng(0) });
 * await displayImage(await imageGrid(rows, { size: 48 }));
 * ```
 */
export function trainingViewRows(set: ImageSet, options: TrainingViewOptions): GridRow[] {
  const count = options.count ?? 8;
  if (!Number.isInteger(count) || count < 2) throw new ConfigError(`count ${count} is not a whole number >= 2; use e.g. 8`);
  if (set.count < count) throw new ConfigError(`The split holds ${set.count} images, fewer than the ${count} asked for; ask for fewer`);
  if (set.width !== set.height) throw new ConfigError(`Images are ${set.width}x${set.height}; image grids need square images`);
  const picked = options.rng.shuffle(Array.from({ length: set.count }, (_, i) => i)).slice(0, count);
  const stored = toBatchTensor(set, picked, "scale_0_1");
  const targets = oneHotLabels(set, picked, options.classes.length);
  const augmented = isAugmentationOff(options.augmentation) ? stored.clone() : augmentBatch(stored, options.augmentation, options.rng);
  try {
    const rows: GridRow[] = [
      { label: "as stored", tiles: tiles(stored).map((pixels, i) => ({ pixels, caption: options.classes[set.labels[picked[i]]] })) },
      { label: "augmented", tiles: tiles(augmented).map((pixels) => ({ pixels })) },
    ];
    for (const mix of options.mixes ?? []) {
      const mixed = mixBatch(augmented, targets, { ...mix, probability: 1 }, options.rng);
      const own = mixed.lambda.toFixed(2);
      rows.push({
        label: `${mix.name}\nalpha ${mix.alpha}`,
        tiles: tiles(mixed.x as tf.Tensor4D).map((pixels, i) => ({ pixels, caption: `${own} + #${mixed.partner[i] + 1}` })),
      });
      tf.dispose([mixed.x, mixed.y]);
    }
    return rows;
  } finally {
    tf.dispose([stored, targets, augmented]);
  }
}

/** Each image's first channel on a 0-255 scale. */
function tiles(batch: tf.Tensor4D): Float32Array[] {
  const [count, height, width, channels] = batch.shape;
  const values = batch.dataSync();
  return Array.from({ length: count }, (_, i) => {
    const pixels = new Float32Array(height * width);
    for (let p = 0; p < pixels.length; p++) pixels[p] = values[(i * height * width + p) * channels] * 255;
    return pixels;
  });
}
