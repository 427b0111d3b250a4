/**
 * Mixup and CutMix: training batches whose images and targets are blends of
 * two samples, a regulariser the field notes list for FER-2013 (Zhang et al.
 * 2018; Yun et al. 2019).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../core/errors.ts";
import type { Rng } from "../core/seed.ts";

/** How training batches are mixed (the run config's `training.mix`). */
export interface MixOptions {
  /**
   * `mixup` blends whole images, x = l*a + (1-l)*b; `cutmix` pastes a box of
   * image b into image a, the box covering a fraction 1-l of it. Targets are
   * blended with the same l in both.
   */
  name: "mixup" | "cutmix";
  /** l is drawn from Beta(alpha, alpha), once per batch. Small alpha keeps l near 0 or 1. */
  alpha: number;
  /** Share of batches that are mixed; the others train on plain samples. */
  probability: number;
}

/** A mixed batch and how it was mixed (for tests and logs). */
export interface MixedBatch {
  x: tf.Tensor;
  y: tf.Tensor2D;
  /** Weight of each sample's own target; 1 when the batch was left as it was. */
  lambda: number;
  /** partner[i] is the sample mixed into sample i (a permutation of the batch). */
  partner: number[];
  /** CutMix's box in pixels, rows [top, bottom) and columns [left, right); null for mixup. */
  box: { top: number; bottom: number; left: number; right: number } | null;
}

/**
 * Mixes a training batch: each sample i is blended with sample partner[i]
 * of a seeded permutation of the batch, with one l per batch.
 *
 * Targets become l*y_i + (1-l)*y_partner. For CutMix l is recomputed from the
 * box actually pasted (the box is clipped at the image border), so targets
 * match the pixels. With class weights the loss weighs a mixed sample by its
 * mixed target's weight (src/train/training_loss.ts). The caller keeps
 * ownership of `x` and `y`; the returned tensors are new, even when the batch
 * is left unmixed.
 *
 * @param x `[n, ...]` inputs; CutMix needs images `[n, h, w, c]`.
 * @param y `[n, K]` one-hot (or soft) targets.
 * @param options See {@linkcode MixOptions}.
 * @param rng The loop's generator: draws whether to mix, l, the permutation and the box.
 * @returns The mixed batch.
 * @throws {ConfigError} When CutMix gets inputs that are not image batches (a frozen transfer head's features).
 * @example
 * ```ts
 * const mixed = mixBatch(x, y, { name: "mixup", alpha: 0.2, probability: 1 }, makeRng(0));
 * console.assert(mixed.lambda >= 0 && mixed.lambda <= 1);
 * ```
 */
export function mixBatch(x: tf.Tensor, y: tf.Tensor2D, options: MixOptions, rng: Rng): MixedBatch {
  if (options.name === "cutmix" && x.rank !== 4) {
    throw new ConfigError(
      `training.mix: cutmix pastes image boxes, but this stage trains on inputs of shape [${x.shape.join(", ")}]; ` +
        `use "mixup" or set training.mix to null`,
    );
  }
  const n = x.shape[0];
  const identity = Array.from({ length: n }, (_, i) => i);
  if (n < 2 || !rng.bernoulli(options.probability)) {
    return { x: x.clone(), y: y.clone(), lambda: 1, partner: identity, box: null };
  }
  let lambda = sampleBeta(options.alpha, rng);
  const partner = rng.shuffle([...identity]);
  const [height, width] = [x.shape[1] ?? 1, x.shape[2] ?? 1];
  const box = options.name === "cutmix" ? cutBox(height, width, 1 - lambda, rng) : null;
  if (box) lambda = 1 - ((box.bottom - box.top) * (box.right - box.left)) / (height * width);
  const mixed = tf.tidy(() => {
    const order = tf.tensor1d(partner, "int32");
    const xPartner = tf.gather(x, order);
    const yPartner = tf.gather(y, order);
    return {
      x: box ? pasteBox(x as tf.Tensor4D, xPartner as tf.Tensor4D, box) : x.mul(lambda).add(xPartner.mul(1 - lambda)),
      y: y.mul(lambda).add(yPartner.mul(1 - lambda)) as tf.Tensor2D,
    };
  });
  return { ...mixed, lambda, partner, box };
}

/** Copies `box` of `source` into `target`, through a 0/1 mask of the image's size. */
function pasteBox(target: tf.Tensor4D, source: tf.Tensor4D, box: NonNullable<MixedBatch["box"]>): tf.Tensor4D {
  const [, height, width] = target.shape;
  const mask = new Float32Array(height * width);
  for (let row = box.top; row < box.bottom; row++) mask.fill(1, row * width + box.left, row * width + box.right);
  const inside = tf.tensor4d(mask, [1, height, width, 1]);
  return target.mul(tf.scalar(1).sub(inside)).add(source.mul(inside));
}

/**
 * CutMix's box: sides sqrt(area) times the image's, centred on a uniform
 * pixel and clipped at the border (so it may cover less than `area`).
 */
function cutBox(height: number, width: number, area: number, rng: Rng): NonNullable<MixedBatch["box"]> {
  const ratio = Math.sqrt(area);
  const boxHeight = Math.round(height * ratio);
  const boxWidth = Math.round(width * ratio);
  const centreRow = rng.int(height);
  const centreColumn = rng.int(width);
  const clip = (value: number, limit: number) => Math.min(Math.max(value, 0), limit);
  return {
    top: clip(centreRow - Math.floor(boxHeight / 2), height),
    bottom: clip(centreRow + Math.ceil(boxHeight / 2), height),
    left: clip(centreColumn - Math.floor(boxWidth / 2), width),
    right: clip(centreColumn + Math.ceil(boxWidth / 2), width),
  };
}

/**
 * A Beta(alpha, alpha) sample as G1 / (G1 + G2) of two Gamma(alpha) samples.
 *
 * @param alpha Shape, > 0.
 * @param rng The generator.
 * @returns A value in [0, 1].
 * @example
 * ```ts
 * console.assert(sampleBeta(1, makeRng(0)) < 1);
 * ```
 */
export function sampleBeta(alpha: number, rng: Rng): number {
  const first = sampleGamma(alpha, rng);
  const second = sampleGamma(alpha, rng);
  return first + second === 0 ? 0.5 : first / (first + second);
}

/**
 * Gamma(shape, 1) by Marsaglia and Tsang's squeeze method (2000); for
 * shape < 1 it boosts to shape + 1 and scales by U^(1/shape).
 */
function sampleGamma(shape: number, rng: Rng): number {
  if (shape < 1) return sampleGamma(shape + 1, rng) * Math.pow(1 - rng.next(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = rng.normal();
    const v = (1 + c * z) ** 3;
    if (v <= 0) continue;
    const u = 1 - rng.next();
    if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}
