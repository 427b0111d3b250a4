/**
 * What every run needs from its caller (the CLI, a notebook, a sweep trial):
 * where the project, results and caches are, where output goes, and the stop
 * signal. Single-model, transfer and ensemble runs take the same context.
 *
 * @module
 */
import type { Callback } from "../train/callback.ts";

/**
 * What a run needs from its caller: paths, output and the stop signal.
 *
 * @example
 * ```ts
 * const ctx: RunContext = { projectRoot: ".", resultsRoot: "results", cacheDir: ".cache/datasets", log: console.log, write: () => {}, interactive: false };
 * ```
 */
export interface RunContext {
  /** The project folder (dataset "auto" paths and git are relative to it). */
  projectRoot: string;
  /** Where runs are stored (`<resultsRoot>/runs/<id>`). */
  resultsRoot: string;
  /** Decoded-dataset cache folder; null disables the cache. */
  cacheDir: string | null;
  /** Prints one line for the user. */
  log: (line: string) => void;
  /** Writes progress text without a newline. */
  write: (text: string) => void;
  /** True when `write` goes to a terminal (progress redraws in place). */
  interactive: boolean;
  /** Aborting stops training cleanly; the run is marked interrupted. */
  signal?: AbortSignal;
  /** Render PNG/SVG plots with Chromium (HTML plots are always written). @default true */
  imagePlots?: boolean;
  /** Extra training callbacks (e.g. a notebook's live learning curves), run after the progress line. @default [] */
  callbacks?: Callback[];
}
