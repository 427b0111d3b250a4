/**
 * Resolves the `training.classWeights` setting to one weight per class.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import type { TrainingConfig } from "./run_config.ts";

/**
 * Turns the config value into weights.
 *
 * `"balanced"` gives `n / (K * n_c)` per class (scikit-learn's formula), so
 * the weighted class totals are equal; a class absent from training gets 0.
 *
 * @param setting null, "balanced" or explicit weights.
 * @param labels Training labels.
 * @param numClasses Number of classes.
 * @returns Weights in label order, or null for equal weights.
 * @throws {ConfigError} When explicit weights do not have one entry per class.
 * @example
 * ```ts
 * const w = resolveClassWeights("balanced", [0, 0, 0, 1], 2);
 * console.assert(w![0] === 4 / 6 && w![1] === 2);
 * ```
 */
export function resolveClassWeights(
  setting: TrainingConfig["classWeights"],
  labels: ArrayLike<number>,
  numClasses: number,
): number[] | null {
  if (setting === null) return null;
  if (setting !== "balanced") {
    if (setting.length !== numClasses) {
      throw new ConfigError(
        `training.classWeights has ${setting.length} entries but there are ${numClasses} classes; give one weight per class or "balanced"`,
      );
    }
    return [...setting];
  }
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts.map((count) => (count === 0 ? 0 : labels.length / (numClasses * count)));
}
