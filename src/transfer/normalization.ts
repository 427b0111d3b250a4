/**
 * How a backbone wants its input pixels scaled: named presets and the
 * per-channel form the input adapter applies.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";

/**
 * Named normalisations, each `(pixel - mean) / std` on 0..255 pixels:
 * - `"face_api"`: mean RGB (122.782, 117.001, 104.298), std 255 (face-api's nets);
 * - `"minus_one_to_one"`: mean 127.5, std 127.5, giving [-1, 1] (Keras mini-Xception, MobileNet);
 * - `"zero_to_one"`: mean 0, std 255, giving [0, 1];
 * - `"imagenet"`: mean (123.675, 116.28, 103.53), std (58.395, 57.12, 57.375) (torchvision-style RGB);
 * - `"raw"`: mean 0, std 1, the 0..255 values unchanged.
 */
export const NORMALIZATION_NAMES = ["face_api", "minus_one_to_one", "zero_to_one", "imagenet", "raw"] as const;

/** One of {@linkcode NORMALIZATION_NAMES}. */
export type NormalizationName = typeof NORMALIZATION_NAMES[number];

/** Per output channel: `(pixel - mean[c]) / std[c]`, pixels in 0..255. */
export interface ChannelNormalization {
  mean: number[];
  std: number[];
}

const PRESETS: Record<NormalizationName, ChannelNormalization> = {
  face_api: { mean: [122.782, 117.001, 104.298], std: [255] },
  minus_one_to_one: { mean: [127.5], std: [127.5] },
  zero_to_one: { mean: [0], std: [255] },
  imagenet: { mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375] },
  raw: { mean: [0], std: [1] },
};

/**
 * Resolves a named or explicit normalisation to one mean and one std per
 * channel. A single value applies to every channel.
 *
 * @param normalization A name from {@linkcode NORMALIZATION_NAMES}, or `{ mean, std }` with 1 or `channels` values each.
 * @param channels The backbone's input channels (1 or 3).
 * @returns Arrays of length `channels`.
 * @throws {ConfigError} For an unknown name, a length that fits neither 1 nor `channels`, or a std that is not positive.
 * @example
 * ```ts
 * const n = resolveNormalization("minus_one_to_one", 3);
 * console.assert(n.mean.join() === "127.5,127.5,127.5" && n.std[2] === 127.5);
 * ```
 */
export function resolveNormalization(normalization: NormalizationName | ChannelNormalization, channels: number): ChannelNormalization {
  const given = typeof normalization === "string" ? PRESETS[normalization] : normalization;
  if (given === undefined) {
    throw new ConfigError(`Unknown normalization "${normalization}"; known: ${NORMALIZATION_NAMES.join(", ")}, or { mean, std }`);
  }
  const label = typeof normalization === "string" ? `"${normalization}"` : "{ mean, std }";
  const spread = (values: number[], field: string): number[] => {
    if (values.length === channels) return [...values];
    if (values.length === 1) return new Array<number>(channels).fill(values[0]);
    throw new ConfigError(
      `Normalization ${label} has ${values.length} ${field} values for a ${channels}-channel input; give 1 or ${channels}`,
    );
  };
  const result = { mean: spread(given.mean, "mean"), std: spread(given.std, "std") };
  if (result.std.some((s) => !(s > 0))) {
    throw new ConfigError(`Normalization ${label} has std ${result.std.join(", ")}; every std must be positive`);
  }
  return result;
}
