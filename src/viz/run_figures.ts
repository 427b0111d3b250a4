/**
 * Figure specs for runs: confusion matrices, learning curves, per-class
 * scores, all of a run's figures at once, and run comparison. Plain plotly.js specs (data + layout), shown
 * inline in notebooks and saved as HTML/PNG/SVG by the exporters.
 *
 * @module
 */
import type { Figure } from "./figures.ts";

const SYNTHETIC_NOTE = " (SYNTHETIC data)";

/** Options shared by the run figure builders. */
export interface RunFigureOptions {
  /** Title prefix, e.g. the run id or name. @default "" */
  title?: string;
  /** Marks the title as synthetic data. @default false */
  synthetic?: boolean;
}

function titleOf(text: string, options: RunFigureOptions): { text: string } {
  const prefix = options.title ? `${options.title}: ` : "";
  return { text: `${prefix}${text}${options.synthetic ? SYNTHETIC_NOTE : ""}` };
}

/**
 * A confusion-matrix heatmap: true class down, predicted class across, each
 * cell labelled with its count and row share.
 *
 * @param confusion Counts, `confusion[true][predicted]`.
 * @param classes Class names in label order.
 * @param options Title, synthetic flag, and `normalized` to colour by row share.
 * @returns The figure.
 * @example
 * ```ts
 * const figure = confusionMatrixFigure([[30, 2], [4, 28]], ["happy", "sad"], { title: "test" });
 * ```
 */
export function confusionMatrixFigure(
  confusion: number[][],
  classes: readonly string[],
  options: RunFigureOptions & { normalized?: boolean } = {},
): Figure {
  const shares = confusion.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (total === 0 ? 0 : v / total));
  });
  const text = confusion.map((row, t) => row.map((v, p) => `${v}<br>${(shares[t][p] * 100).toFixed(0)}%`));
  return {
    data: [{
      type: "heatmap",
      z: options.normalized ? shares : confusion,
      x: [...classes],
      y: [...classes],
      text,
      texttemplate: "%{text}",
      hovertemplate: "true %{y}<br>predicted %{x}<br>%{text}<extra></extra>",
      colorscale: "Blues",
      // plotly's "Blues" runs dark to light; reversed, the largest cells are darkest.
      reversescale: true,
      zmin: 0,
      zmax: options.normalized ? 1 : undefined,
      showscale: true,
    }],
    layout: {
      title: titleOf(options.normalized ? "confusion matrix (row-normalised)" : "confusion matrix (counts)", options),
      xaxis: { title: { text: "predicted" }, side: "bottom" },
      yaxis: { title: { text: "true" }, autorange: "reversed" },
      width: 560,
      height: 500,
    },
  };
}

/** One epoch of history, with the keys history.csv uses. */
export interface CurvePoint {
  loss: number;
  accuracy: number;
  val_loss?: number;
  val_accuracy?: number;
}

/**
 * Learning curves: loss and accuracy per epoch, training and validation, in
 * two stacked panels sharing the epoch axis.
 *
 * @param history One entry per epoch.
 * @param options Title and synthetic flag.
 * @returns The figure.
 * @example
 * ```ts
 * const figure = learningCurvesFigure([{ loss: 1.2, accuracy: 0.4, val_loss: 1.1, val_accuracy: 0.5 }]);
 * ```
 */
export function learningCurvesFigure(history: readonly CurvePoint[], options: RunFigureOptions = {}): Figure {
  const epochs = history.map((_, i) => i + 1);
  const line = (key: keyof CurvePoint, name: string, axis: string, dash: string, color: string) => ({
    type: "scatter",
    mode: "lines+markers",
    x: epochs,
    y: history.map((h) => h[key] ?? null),
    name,
    xaxis: "x",
    yaxis: axis,
    line: { dash, color },
  });
  return {
    data: [
      line("loss", "loss", "y", "solid", "#1f77b4"),
      line("val_loss", "val_loss", "y", "dash", "#ff7f0e"),
      line("accuracy", "accuracy", "y2", "solid", "#1f77b4"),
      line("val_accuracy", "val_accuracy", "y2", "dash", "#ff7f0e"),
    ],
    layout: {
      title: titleOf("learning curves", options),
      grid: { rows: 2, columns: 1, pattern: "coupled" },
      xaxis: { title: { text: "epoch" } },
      yaxis: { title: { text: "loss" }, domain: [0.55, 1] },
      yaxis2: { title: { text: "accuracy" }, domain: [0, 0.45] },
      width: 720,
      height: 560,
    },
  };
}

/**
 * Grouped bars of precision, recall and F1 per class.
 *
 * @param perClass Scores per class name.
 * @param options Title and synthetic flag.
 * @returns The figure.
 * @example
 * ```ts
 * const figure = perClassFigure({ happy: { precision: 0.9, recall: 0.8, f1: 0.85 } });
 * ```
 */
export function perClassFigure(
  perClass: Record<string, { precision: number; recall: number; f1: number }>,
  options: RunFigureOptions = {},
): Figure {
  const classes = Object.keys(perClass);
  const bars = (key: "precision" | "recall" | "f1") => ({
    type: "bar",
    name: key,
    x: classes,
    y: classes.map((c) => perClass[c][key]),
    text: classes.map((c) => perClass[c][key].toFixed(2)),
    textposition: "outside",
  });
  return {
    data: [bars("precision"), bars("recall"), bars("f1")],
    layout: { title: titleOf("per-class scores", options), barmode: "group", yaxis: { range: [0, 1.1] }, width: 720, height: 420 },
  };
}

/** One run in a comparison. */
export interface ComparedRun {
  label: string;
  /** Metric value with its 95% interval. */
  value: number;
  low: number;
  high: number;
}

/**
 * Horizontal bars comparing runs on one metric, with 95% interval whiskers.
 *
 * @param runs Runs to show, in display order.
 * @param metric Axis label, e.g. "test accuracy".
 * @returns The figure.
 * @example
 * ```ts
 * const figure = comparisonFigure([{ label: "cnn", value: 0.8, low: 0.72, high: 0.86 }], "test accuracy");
 * ```
 */
export function comparisonFigure(runs: readonly ComparedRun[], metric: string): Figure {
  return {
    data: [{
      type: "bar",
      orientation: "h",
      y: runs.map((r) => r.label),
      x: runs.map((r) => r.value),
      text: runs.map((r) => `${r.value.toFixed(3)} [${r.low.toFixed(3)}, ${r.high.toFixed(3)}]`),
      textposition: "auto",
      error_x: {
        type: "data",
        symmetric: false,
        array: runs.map((r) => r.high - r.value),
        arrayminus: runs.map((r) => r.value - r.low),
      },
    }],
    layout: {
      title: { text: `${metric} with 95% intervals` },
      xaxis: { title: { text: metric }, range: [0, 1] },
      yaxis: { automargin: true, autorange: "reversed" },
      width: 800,
      height: Math.max(300, 60 + 40 * runs.length),
    },
  };
}

/** One split's scores, as the run figures read them from metrics.json. */
export interface SplitFigureData {
  count: number;
  accuracy: number;
  /** Counts, `confusion[true][predicted]`. */
  confusion: number[][];
  perClass: Record<string, { precision: number; recall: number; f1: number }>;
  /** The images without a copy in train; null or absent when not checked. */
  leakFree?: { accuracy: number; count: number } | null;
}

/** What {@linkcode runFigures} reads of a run's metrics.json. */
export interface RunFiguresData {
  classes: readonly string[];
  validation?: SplitFigureData | null;
  test?: SplitFigureData | null;
}

/**
 * Builds the run's figures, keyed by file name (without extension).
 *
 * @param metrics The run's metrics (metrics.json).
 * @param history Its epochs.
 * @param options Title prefix and synthetic flag.
 * @returns Figures: confusion matrices per split (counts and normalised), learning curves, per-class scores.
 * @example
 * ```ts
 * const figures = runFigures(metrics, history, { title: run.id });
 * console.assert("learning_curves" in figures);
 * ```
 */
export function runFigures(
  metrics: RunFiguresData,
  history: readonly CurvePoint[],
  options: RunFigureOptions = {},
): Record<string, Figure> {
  const figures: Record<string, Figure> = { learning_curves: learningCurvesFigure(history, options) };
  for (const split of ["validation", "test"] as const) {
    const m = metrics[split];
    if (!m) continue;
    // The title carries the split's accuracy and, beside it, the leak-free figure, so a shared plot says both.
    const leakFree = m.leakFree ? `, leak-free ${m.leakFree.accuracy.toFixed(3)} (n=${m.leakFree.count})` : "";
    const title = `${options.title ? `${options.title} ` : ""}${split} (accuracy ${m.accuracy.toFixed(3)}, n=${m.count}${leakFree})`;
    figures[`confusion_${split}`] = confusionMatrixFigure(m.confusion, metrics.classes, { ...options, title });
    figures[`confusion_${split}_normalized`] = confusionMatrixFigure(m.confusion, metrics.classes, { ...options, title, normalized: true });
    figures[`per_class_${split}`] = perClassFigure(m.perClass, { ...options, title });
  }
  return figures;
}
