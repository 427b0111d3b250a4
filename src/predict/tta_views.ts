/**
 * The views test-time augmentation runs a model on, and how each is made.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { CROP_POSITIONS, TtaConfig } from "./tta_config.ts";

/** One view of a batch: an optional shift or crop, then an optional mirror. */
export interface TtaView {
  /** E.g. `identity`, `shift(2,0)`, `crop(0.9,center)+flip`. */
  name: string;
  /** `[dx, dy]` pixels right and down, or null. */
  shift: [number, number] | null;
  /** Share of the side and position, or null. */
  crop: { size: number; position: typeof CROP_POSITIONS[number] } | null;
  /** Mirror left-right after the shift or crop. */
  flip: boolean;
}

/**
 * Lists the views of a TTA setting, in a fixed order: the image itself, then
 * each shift, then each crop; with `horizontalFlip`, each of those is
 * followed by its mirror image. Null (no TTA) gives the image alone.
 *
 * @param tta The settings, or null.
 * @returns The views (the first is always the identity).
 * @example
 * ```ts
 * const views = ttaViews({ horizontalFlip: true, shifts: [[1, 0]], crops: null });
 * console.assert(views.map((v) => v.name).join() === "identity,identity+flip,shift(1,0),shift(1,0)+flip");
 * ```
 */
export function ttaViews(tta: TtaConfig | null): TtaView[] {
  const base: TtaView[] = [{ name: "identity", shift: null, crop: null, flip: false }];
  for (const [dx, dy] of tta?.shifts ?? []) base.push({ name: `shift(${dx},${dy})`, shift: [dx, dy], crop: null, flip: false });
  for (const position of tta?.crops?.positions ?? []) {
    base.push({ name: `crop(${tta!.crops!.size},${position})`, shift: null, crop: { size: tta!.crops!.size, position }, flip: false });
  }
  return tta?.horizontalFlip ? base.flatMap((view) => [view, { ...view, name: `${view.name}+flip`, flip: true }]) : base;
}

/**
 * Makes one view of a batch of images (NHWC). A shift moves the content by
 * `[dx, dy]` pixels and repeats the edge pixels into the space it leaves; a
 * crop takes a square of `round(size * side)` pixels at its position and
 * resizes it back to the full size bilinearly, pixel centres of the crop's
 * corners landing on the output's corners; a flip mirrors left-right.
 *
 * @param x Images `[n, height, width, channels]` (the caller keeps ownership).
 * @param view From {@linkcode ttaViews}.
 * @returns A new tensor of the same shape, which the caller disposes.
 * @example
 * ```ts
 * const out = applyTtaView(tf.tensor4d([1, 2, 3], [1, 1, 3, 1]), { name: "shift(1,0)", shift: [1, 0], crop: null, flip: false });
 * console.assert(out.dataSync().join() === "1,1,2");
 * ```
 */
export function applyTtaView(x: tf.Tensor4D, view: TtaView): tf.Tensor4D {
  return tf.tidy(() => {
    const [, height, width] = x.shape;
    let out: tf.Tensor4D = x.clone();
    if (view.shift) {
      const [dx, dy] = view.shift;
      const clamp = (v: number, size: number) => Math.min(size - 1, Math.max(0, v));
      const rows = tf.tensor1d(Array.from({ length: height }, (_, y) => clamp(y - dy, height)), "int32");
      const columns = tf.tensor1d(Array.from({ length: width }, (_, c) => clamp(c - dx, width)), "int32");
      out = tf.gather(tf.gather(out, rows, 1), columns, 2) as tf.Tensor4D;
    }
    if (view.crop) {
      const side = (size: number) => Math.max(1, Math.round(view.crop!.size * size));
      const ch = side(height), cw = side(width);
      const top = view.crop.position.startsWith("bottom") ? height - ch : view.crop.position === "center" ? Math.floor((height - ch) / 2) : 0;
      const left = view.crop.position.endsWith("right") ? width - cw : view.crop.position === "center" ? Math.floor((width - cw) / 2) : 0;
      const scale = (v: number, size: number) => (size > 1 ? v / (size - 1) : 0);
      const box = [scale(top, height), scale(left, width), scale(top + ch - 1, height), scale(left + cw - 1, width)];
      const n = out.shape[0];
      out = tf.image.cropAndResize(
        out,
        tf.tensor2d(Array.from({ length: n }, () => box), [n, 4]),
        tf.tensor1d(Array.from({ length: n }, (_, i) => i), "int32"),
        [height, width],
        "bilinear",
      );
    }
    if (view.flip) out = tf.reverse(out, 2);
    return out;
  });
}

/**
 * Names a TTA setting in a few words, for summaries and plot titles.
 *
 * @param tta The settings.
 * @returns E.g. `flip+4 shifts+crops`, or `none` when it adds no view.
 * @example
 * ```ts
 * console.assert(ttaText({ horizontalFlip: true, shifts: [], crops: { size: 0.9, positions: ["center"] } }) === "flip+crops");
 * ```
 */
export function ttaText(tta: { horizontalFlip?: boolean; shifts?: readonly unknown[]; crops?: unknown }): string {
  const parts = [tta.horizontalFlip ? "flip" : "", tta.shifts?.length ? `${tta.shifts.length} shifts` : "", tta.crops ? "crops" : ""];
  return parts.filter(Boolean).join("+") || "none";
}
