/**
 * A value with its interval as text, as every table and summary of the
 * workbench prints it.
 *
 * @module
 */

/**
 * Writes `value [low, high]` with three decimals; empty for a missing interval.
 *
 * @param interval The value and its bounds, or null.
 * @returns E.g. `"0.812 [0.790, 0.833]"`, or `""` for null.
 * @example
 * ```ts
 * console.assert(intervalText({ value: 0.5, low: 0.25, high: 0.75 }) === "0.500 [0.250, 0.750]");
 * console.assert(intervalText(null) === "");
 * ```
 */
export function intervalText(interval: { value: number; low: number; high: number } | null): string {
  return interval ? `${interval.value.toFixed(3)} [${interval.low.toFixed(3)}, ${interval.high.toFixed(3)}]` : "";
}
