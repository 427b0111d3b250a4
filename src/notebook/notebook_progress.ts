/**
 * Live training progress in a notebook: one output that redraws in place.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import type { RunContext } from "../experiment/run_context.ts";
import { Callback, type EpochLogs } from "../train/callback.ts";
import { learningCurvesFigure } from "../viz/run_figures.ts";
import { figureBundle } from "./_figure_bundle.ts";
import { escapeHtml } from "../viz/escape_html.ts";
import { jupyterDisplay, type NotebookDisplay } from "./jupyter_display.ts";

/** Options of {@linkcode notebookProgress}. */
export interface NotebookProgressOptions {
  /** Where the outputs go. @default jupyterDisplay() */
  display?: NotebookDisplay;
  /** Shortest time between two redraws of a progress line, in ms (finished lines redraw at once). @default 500 */
  intervalMs?: number;
  /** Clock in ms, for tests. @default performance.now */
  now?: () => number;
  /** Lines kept on screen (older ones scroll away). @default 200 */
  maxLines?: number;
  /** Title of the live learning curves. @default "live" */
  title?: string;
}

/**
 * Shows a run's progress in one notebook output that updates in place
 * (`display_id`): the run's log lines, and the progress line that the run's
 * progress bar redraws with `\r`. As a training {@linkcode Callback} it also
 * draws the learning curves after each epoch in a second output.
 *
 * Use `runContext()` for `runExperiment` (it passes this callback in, so the
 * curves update live), and await `flush()` before the cell ends.
 */
export class NotebookProgress extends Callback {
  readonly #display: NotebookDisplay;
  readonly #intervalMs: number;
  readonly #now: () => number;
  readonly #maxLines: number;
  readonly #title: string;
  readonly #id = `fer-progress-${randomUUID()}`;
  #lines: string[] = [];
  #current = "";
  #shown = false;
  #lastDraw = -Infinity;
  #queue: Promise<void> = Promise.resolve();
  #error: unknown = null;
  #history: EpochLogs[] = [];
  #curvesShown = false;

  constructor(options: NotebookProgressOptions = {}) {
    super();
    this.#display = options.display ?? jupyterDisplay();
    this.#intervalMs = options.intervalMs ?? 500;
    this.#now = options.now ?? (() => performance.now());
    this.#maxLines = options.maxLines ?? 200;
    this.#title = options.title ?? "live";
  }

  /** Adds one finished line (ends the progress line first). Bound: pass it as `log`. */
  readonly log = (line: string): void => {
    this.#finishCurrent();
    this.#lines.push(...line.split("\n"));
    this.#draw(true);
  };

  /**
   * Takes progress text: `\r` starts the line over, `\n` finishes it. Bound:
   * pass it as `write`. Unfinished lines redraw at most every `intervalMs`.
   */
  readonly write = (text: string): void => {
    let finished = false;
    for (const [i, part] of text.split("\n").entries()) {
      if (i > 0) {
        this.#lines.push(this.#current);
        this.#current = "";
        finished = true;
      }
      const restart = part.lastIndexOf("\r");
      this.#current = restart >= 0 ? part.slice(restart + 1) : this.#current + part;
    }
    this.#draw(finished);
  };

  /**
   * A `RunContext` for `runExperiment` whose output goes to this display
   * (`interactive`: the progress bar redraws its line).
   *
   * @param paths Project, results and cache folders (e.g. from `notebookParams`).
   * @param options `signal` stops training cleanly; `imagePlots` renders PNG/SVG plots. @default imagePlots true
   * @returns The context.
   */
  runContext(
    paths: { projectRoot: string; resultsRoot: string; cacheDir: string | null },
    options: { signal?: AbortSignal; imagePlots?: boolean } = {},
  ): RunContext {
    const { projectRoot, resultsRoot, cacheDir } = paths;
    return { projectRoot, resultsRoot, cacheDir, log: this.log, write: this.write, interactive: true, callbacks: [this], ...options };
  }

  /**
   * Waits until every output update has been sent.
   *
   * @returns Resolves when done.
   * @throws The first error the display raised.
   */
  async flush(): Promise<void> {
    this.#finishCurrent();
    this.#draw(true);
    await this.#queue;
    if (this.#error !== null) throw this.#error;
  }

  override onTrainBegin(): void {
    this.#history = [];
    this.#curvesShown = false;
  }

  // A resumed training's curves start with the epochs it had finished.
  override onTrainResume(history: readonly EpochLogs[]): void {
    this.#history = history.map((logs) => ({ ...logs }));
  }

  override onEpochEnd(_epoch: number, logs: EpochLogs): void {
    this.#history.push({ ...logs });
    const figure = learningCurvesFigure(this.#history, { title: this.#title });
    const bundle = figureBundle(figure, { id: `${this.#id}-curves-${this.#history.length}` });
    const target = { display_id: `${this.#id}-curves`, update: this.#curvesShown };
    this.#curvesShown = true;
    this.#enqueue(() => this.#display(bundle, target));
  }

  #finishCurrent(): void {
    if (this.#current.length > 0) this.#lines.push(this.#current);
    this.#current = "";
  }

  #draw(force: boolean): void {
    const now = this.#now();
    if (!force && now - this.#lastDraw < this.#intervalMs) return;
    this.#lastDraw = now;
    if (this.#lines.length > this.#maxLines) this.#lines = this.#lines.slice(-this.#maxLines);
    const text = [...this.#lines, ...(this.#current ? [this.#current] : [])].join("\n");
    const bundle = {
      "text/plain": text,
      "text/html": `<pre style="margin:0;font-size:12px;line-height:1.35">${escapeHtml(text)}</pre>`,
    };
    const target = { display_id: `${this.#id}-log`, update: this.#shown };
    this.#shown = true;
    this.#enqueue(() => this.#display(bundle, target));
  }

  #enqueue(send: () => Promise<void>): void {
    // Updates must arrive in order, and write() cannot wait: chain them.
    this.#queue = this.#queue.then(send).catch((error) => {
      this.#error ??= error;
    });
  }
}

/**
 * Makes a {@linkcode NotebookProgress}.
 *
 * @param options See {@linkcode NotebookProgressOptions}.
 * @returns The progress display.
 * @example
 * ```ts
 * const progress = notebookProgress();
 * const outcome = await runExperiment(config, progress.runContext(params));
 * await progress.flush();
 * ```
 */
export function notebookProgress(options: NotebookProgressOptions = {}): NotebookProgress {
  return new NotebookProgress(options);
}
