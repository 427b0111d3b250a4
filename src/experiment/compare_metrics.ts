/**
 * Metric-by-metric comparison of two runs' metrics.json, for `rerun`.
 *
 * @module
 */
import type { RunMetrics } from "./run_metrics.ts";

/** One compared metric. */
export interface MetricMatch {
  metric: string;
  original: number;
  rerun: number;
  /** True when the two values are bit-identical. */
  match: boolean;
}

/**
 * Lists every scalar of the two metrics objects (accuracy, macro-F1, their
 * intervals, ECE, per-class scores, confusion counts, per split) side by side.
 * Reproducibility here means bit-identical, so equality is exact.
 *
 * @param original The first run's metrics.
 * @param rerun The rerun's metrics.
 * @returns One entry per metric, in a stable order.
 * @example
 * ```ts
 * const rows = compareMetrics(a, a);
 * console.assert(rows.every((r) => r.match));
 * ```
 */
export function compareMetrics(original: RunMetrics, rerun: RunMetrics): MetricMatch[] {
  const a = flatten(original), b = flatten(rerun);
  const keys = [...new Set([...a.keys(), ...b.keys()])];
  return keys.map((metric) => {
    const x = a.get(metric) ?? NaN, y = b.get(metric) ?? NaN;
    return { metric, original: x, rerun: y, match: Object.is(x, y) };
  });
}

function flatten(metrics: RunMetrics): Map<string, number> {
  const out = new Map<string, number>();
  out.set("epochsTrained", metrics.epochsTrained);
  out.set("keptEpoch", metrics.keptEpoch);
  for (const split of ["validation", "test"] as const) {
    const m = metrics[split];
    if (!m) continue;
    out.set(`${split}.accuracy`, m.accuracy);
    out.set(`${split}.accuracy.low`, m.accuracyInterval.low);
    out.set(`${split}.accuracy.high`, m.accuracyInterval.high);
    out.set(`${split}.macroF1`, m.macroF1);
    out.set(`${split}.macroF1.low`, m.macroF1Interval.low);
    out.set(`${split}.macroF1.high`, m.macroF1Interval.high);
    out.set(`${split}.expectedCalibrationError`, m.expectedCalibrationError);
    for (const [name, scores] of Object.entries(m.perClass)) {
      out.set(`${split}.${name}.precision`, scores.precision);
      out.set(`${split}.${name}.recall`, scores.recall);
      out.set(`${split}.${name}.f1`, scores.f1);
    }
    m.confusion.forEach((row, t) => row.forEach((v, p) => out.set(`${split}.confusion[${t}][${p}]`, v)));
  }
  return out;
}
