/**
 * Everything a notebook shows about one finished run, read through the run store.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import type { RunMetrics } from "../experiment/run_metrics.ts";
import type { RunConfig } from "../experiment/run_config.ts";
import type { HistoryRow } from "../experiment/run_files.ts";
import type { RunManifest } from "../experiment/run_manifest.ts";
import { openRun, readHistory, readRunJson, type RunHandle } from "../experiment/run_store.ts";
import { runFigures } from "../viz/run_figures.ts";
import type { Figure } from "../viz/figures.ts";

/** What {@linkcode loadRunResults} returns. */
export interface RunResults {
  run: RunHandle;
  config: RunConfig;
  manifest: RunManifest;
  metrics: RunMetrics;
  history: HistoryRow[];
  /** Short name for titles: `<config name> (<last 6 characters of the id>)`. */
  label: string;
  /**
   * The run's figures, as its plots/ folder has them: `learning_curves`, and per
   * split `confusion_<split>`, `confusion_<split>_normalized`, `per_class_<split>`.
   */
  figures: Record<string, Figure>;
}

/**
 * Reads a run's config, manifest, metrics and history, and builds its figures.
 *
 * @param resultsRoot Results folder.
 * @param id Run id (e.g. `outcome.run.id`).
 * @returns The run's results.
 * @throws {ConfigError} When the run does not exist or has no metrics yet (running or failed; the message gives its status).
 * @example
 * ```ts
 * const results = await loadRunResults(params.resultsRoot, outcome.run.id);
 * await displayFigure(results.figures.learning_curves);
 * ```
 */
export async function loadRunResults(resultsRoot: string, id: string): Promise<RunResults> {
  const run = await openRun(resultsRoot, id);
  const config = await readRunJson<RunConfig>(run, "config");
  const manifest = await readRunJson<RunManifest>(run, "manifest");
  const metrics = await readRunJson<RunMetrics>(run, "metrics");
  if (!config || !manifest || !metrics) {
    const status = manifest ? `${manifest.status}${manifest.note ? `: ${manifest.note}` : ""}` : "no manifest";
    throw new ConfigError(`Run ${id} has no results yet (status ${status}); pick a completed run from deno task fer list`);
  }
  const history = await readHistory(run);
  const label = `${config.name} (${id.slice(-6)})`;
  return {
    run,
    config,
    manifest,
    metrics,
    history,
    label,
    figures: runFigures(metrics, history, { title: label, synthetic: metrics.synthetic }),
  };
}
