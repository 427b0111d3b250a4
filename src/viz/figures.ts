/**
 * Plotly figure specs: the one module that builds figures. Each builder is a
 * pure function from plain data to a {@linkcode Figure}; notebooks display the
 * spec, and {@linkcode saveFigureHtml} (save_figure_html.ts) saves it.
 *
 * @module
 */

/** A plotly figure spec: traces and layout, as plotly.js `newPlot` takes them. */
export interface Figure {
  /** One object per trace (`{ type: "bar", x, y, name }`). */
  data: Record<string, unknown>[];
  /** Axes, title, legend and the like. */
  layout: Record<string, unknown>;
}

/** Options for {@linkcode countsBarFigure}. */
export interface CountsBarOptions {
  /** Figure title. @default "Images per split and class" */
  title?: string;
}

/**
 * A grouped bar chart of image counts: classes along x, one bar (trace) per split.
 *
 * @param counts Count per split, then per class, e.g. `{ train: { happy: 10 } }`.
 * @param classes Class names in label order (the x order); missing counts are 0.
 * @param options See {@linkcode CountsBarOptions}.
 * @returns The figure.
 * @example
 * ```ts
 * const figure = countsBarFigure({ train: { happy: 3, sad: 1 } }, ["happy", "sad"]);
 * console.assert(figure.data.length === 1 && figure.layout.barmode === "group");
 * ```
 */
export function countsBarFigure(
  counts: Partial<Record<string, Record<string, number>>>,
  classes: readonly string[],
  options: CountsBarOptions = {},
): Figure {
  const data = Object.entries(counts).map(([split, perClass]) => ({
    type: "bar",
    name: split,
    x: [...classes],
    y: classes.map((name) => perClass?.[name] ?? 0),
    text: classes.map((name) => String(perClass?.[name] ?? 0)),
    textposition: "auto",
  }));
  return {
    data,
    layout: {
      title: { text: options.title ?? "Images per split and class" },
      barmode: "group",
      xaxis: { title: { text: "class" } },
      yaxis: { title: { text: "images" } },
      legend: { title: { text: "split" } },
    },
  };
}
