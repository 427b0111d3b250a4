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
  // The axis leaves out the first tenth of the steps, as the suggestions do: there the average is young (its first
  // value is one batch's loss), and a high first batch would stretch the axis over a part of the curve nobody reads.
  const finite = smoothed.slice(Math.floor(points.length / 10)).filter((loss): loss is number => loss !== null);
  const low = finite.length > 0 ? Math.min(...finite) : 0;
  const high = finite.length > 0 ? Math.max(...finite) : 1;
  const margin = Math.max(high - low, 1e-6) * 0.1;
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
  const shapes = data.configRate === null ? [] : [{
    type: "line",
    xref: "x",
    yref: "paper",
    x0: data.configRate,
    x1: data.configRate,
    y0: 0,
    y1: 1,
    line: { dash: "dash", color: "#7f7f7f" },
  }];
  const annotations = data.configRate === null ? [] : [{
    x: Math.log10(data.configRate),
    xref: "x",
    y: 1,
    yref: "paper",
    text: `config's rate ${data.configRate.toExponential(1)}`,
    showarrow: false,
    xanchor: "left",
    yanchor: "top",
  }];
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
      yaxis: { title: { text: "training loss" }, range: [low - margin, high + margin] },
      shapes,
      annotations,
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
