/**
 * The learning-rate range test's curve: the loss at each rate on a log axis,
 * with the rates the test suggests marked on it.
 *
 * @module
 */
import type { Figure } from "./figures.ts";

/** One step of a range test: the rate, the batch loss and its smoothed average. */
export interface LrRangeCurvePoint {
  lr: number;
  loss: number;
  smoothedLoss: number;
}

/** What {@linkcode lrRangeFigure} draws. */
export interface LrRangeFigureData {
  /** The steps, in order of rising rate. */
  points: readonly LrRangeCurvePoint[];
  /** Rates to mark, by what they are ("valley", "lowest / 10", ...); null ones are left out. */
  marks: Readonly<Record<string, number | null>>;
  /** The rate the config trains with, marked as a dashed line; null to leave it out. */
  configRate: number | null;
  /** Title prefix, e.g. the config's name. */
  title?: string;
}

/**
 * The range test as a figure: each batch's loss as faint dots, the smoothed
 * loss as a line (the suggestions are read off it), a marker on the line at
 * each suggested rate and a dashed vertical line at the config's own rate.
 * The loss axis spans the smoothed curve after its first tenth plus a margin,
 * so a batch loss far off it (the last steps' blow-up, a noisy batch) or the
 * young average of the first steps does not flatten the curve.
 *
 * @param data See {@linkcode LrRangeFigureData}.
 * @returns The figure.
 * @example
 * ```ts
 * const points = [2, 1.5, 1, 3].map((loss, i) => ({ lr: 10 ** (i - 4), loss, smoothedLoss: loss }));
 * const figure = lrRangeFigure({ points, marks: { valley: 1e-3 }, configRate: 1e-3 });
 * console.assert(figure.layout.xaxis !== undefined && figure.data.length === 3);
 * ```
 */
export function lrRangeFigure(data: LrRangeFigureData): Figure {
  const { points } = data;
  const lrs = points.map((point) => point.lr);
  const smoothed = points.map((point) => (Number.isFinite(point.smoothedLoss) ? point.smoothedLoss : null));
  const marks = Object.entries(data.marks).filter((entry): entry is [string, number] => entry[1] !== null);
  const markTrace = {
    type: "scatter",
    mode: "markers+text",
    name: "suggested",
    x: marks.map(([, lr]) => lr),
    y: marks.map(([, lr]) => smoothedAt(points, lr)),
    text: marks.map(([name, lr]) => `${name} ${lr.toExponential(1)}`),
    // Marks often sit close together: their labels alternate above and below the curve.
    textposition: marks.map((_, i) => (i % 2 === 0 ? "top right" : "bottom left")),
    marker: { size: 10, color: "#d62728", symbol: "diamond" },
    hovertemplate: "%{text}<extra></extra>",
  };
  return {
    data: [
      {
        type: "scatter",
        mode: "markers",
        name: "batch loss",
        x: lrs,
        y: points.map((point) => (Number.isFinite(point.loss) ? point.loss : null)),
        marker: { size: 4, color: "rgba(31,119,180,0.3)" },
        hovertemplate: "rate %{x:.1e}<br>batch loss %{y:.4f}<extra></extra>",
      },
      {
        type: "scatter",
        mode: "lines",
        name: "smoothed loss",
        x: lrs,
        y: smoothed,
        line: { color: "#1f77b4", width: 2 },
        hovertemplate: "rate %{x:.1e}<br>smoothed loss %{y:.4f}<extra></extra>",
      },
      markTrace,
    ],
    layout: {
      title: { text: `${data.title ? `${data.title}: ` : ""}learning-rate range test` },
      xaxis: { title: { text: "learning rate" }, type: "log", exponentformat: "power" },
      yaxis: { title: { text: "training loss" }, range: lossAxisRange([points]) },
      ...configRateLine(data.configRate),
      width: 720,
      height: 440,
    },
  };
}

/** The smoothed loss at the point whose rate is nearest `lr` in log terms (the marks are rates of points). */
function smoothedAt(points: readonly LrRangeCurvePoint[], lr: number): number | null {
  let nearest: LrRangeCurvePoint | null = null;
  for (const point of points) {
    if (nearest === null || Math.abs(Math.log(point.lr / lr)) < Math.abs(Math.log(nearest.lr / lr))) nearest = point;
  }
  return nearest !== null && Number.isFinite(nearest.smoothedLoss) ? nearest.smoothedLoss : null;
}

/** One curve of {@linkcode lrRangeComparisonFigure}. */
export interface LrRangeCurve {
  /** What differs between the curves, e.g. "L2 1e-4". */
  label: string;
  points: readonly LrRangeCurvePoint[];
  /** A rate to mark on this curve (its valley); null for none. */
  mark: number | null;
}

/**
 * Range tests side by side (the same net and batches, one setting changed):
 * each test's smoothed loss as a line, its valley marked on it, and the
 * config's rate as a dashed line. The loss axis spans the curves after their
 * first tenth (see {@linkcode lrRangeFigure}).
 *
 * @param data The curves, the config's rate (null to leave it out) and a title prefix.
 * @returns The figure.
 * @example
 * ```ts
 * const points = [2, 1.5, 1, 3].map((loss, i) => ({ lr: 10 ** (i - 4), loss, smoothedLoss: loss }));
 * const figure = lrRangeComparisonFigure({ curves: [{ label: "L2 0", points, mark: 1e-3 }], configRate: null });
 * console.assert(figure.data.length === 2);
 * ```
 */
export function lrRangeComparisonFigure(data: { curves: readonly LrRangeCurve[]; configRate: number | null; title?: string }): Figure {
  const traces = data.curves.flatMap((curve, i) => {
    const color = CURVE_COLORS[i % CURVE_COLORS.length];
    const line = {
      type: "scatter",
      mode: "lines",
      name: curve.label,
      legendgroup: curve.label,
      x: curve.points.map((point) => point.lr),
      y: curve.points.map((point) => (Number.isFinite(point.smoothedLoss) ? point.smoothedLoss : null)),
      line: { color, width: 2 },
      hovertemplate: `${curve.label}<br>rate %{x:.1e}<br>smoothed loss %{y:.4f}<extra></extra>`,
    };
    if (curve.mark === null) return [line];
    return [line, {
      type: "scatter",
      mode: "markers",
      name: `${curve.label}: valley`,
      legendgroup: curve.label,
      showlegend: false,
      x: [curve.mark],
      y: [smoothedAt(curve.points, curve.mark)],
      marker: { size: 10, color, symbol: "diamond" },
      hovertemplate: `${curve.label}: valley %{x:.1e}<extra></extra>`,
    }];
  });
  return {
    data: traces,
    layout: {
      title: { text: `${data.title ? `${data.title}: ` : ""}range tests compared (diamonds: valleys)` },
      xaxis: { title: { text: "learning rate" }, type: "log", exponentformat: "power" },
      yaxis: { title: { text: "training loss, smoothed" }, range: lossAxisRange(data.curves.map((curve) => curve.points)) },
      ...configRateLine(data.configRate),
      width: 720,
      height: 440,
    },
  };
}

/** plotly's default colours, in its order. */
const CURVE_COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"];

/**
 * The loss axis's span: the smoothed curves after their first tenth, plus a tenth of a margin. The first tenth is
 * left out, as the suggestions leave it out: there the average is young (its first value is one batch's loss), and a
 * high first batch would stretch the axis over a part of the curve nobody reads.
 */
function lossAxisRange(curves: readonly (readonly LrRangeCurvePoint[])[]): [number, number] {
  const finite = curves.flatMap((points) => points.slice(Math.floor(points.length / 10)).map((point) => point.smoothedLoss).filter(Number.isFinite));
  const low = finite.length > 0 ? Math.min(...finite) : 0;
  const high = finite.length > 0 ? Math.max(...finite) : 1;
  const margin = Math.max(high - low, 1e-6) * 0.1;
  return [low - margin, high + margin];
}

/** The config's rate as a dashed vertical line with its label: shapes take rates on a log axis, annotations their log10. */
function configRateLine(rate: number | null): { shapes: unknown[]; annotations: unknown[] } {
  if (rate === null) return { shapes: [], annotations: [] };
  return {
    shapes: [{ type: "line", xref: "x", yref: "paper", x0: rate, x1: rate, y0: 0, y1: 1, line: { dash: "dash", color: "#7f7f7f" } }],
    annotations: [{
      x: Math.log10(rate),
      xref: "x",
      y: 1,
      yref: "paper",
      text: `config's rate ${rate.toExponential(1)}`,
      showarrow: false,
      xanchor: "left",
      yanchor: "top",
    }],
  };
}
