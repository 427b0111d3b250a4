/**
 * Writes an ensemble's results into its run folder, in the contract every
 * reader knows (metrics.json, predictions.csv, history.csv, model/, plots/)
 * plus members/.
 *
 * @module
 */
import { argMax } from "../eval/arg_max.ts";
import { atomicWrite } from "../core/atomic_write.ts";
import { HISTORY_COLUMNS } from "../experiment/run_files.ts";
import { type PredictionRow, type RunHandle, runPath, writePredictions, writeRunJson } from "../experiment/run_store.ts";
import { saveRunFigures } from "../experiment/write_run_plots.ts";
import { runFigures } from "../viz/run_figures.ts";
import type { Figure } from "../viz/figures.ts";
import type { CombinedPredictions } from "./combine_members.ts";
import { diversityFigure } from "../viz/diversity_figure.ts";
import { writeEnsembleModel, writeMemberCache } from "./ensemble_files.ts";
import type { EnsembleMetrics } from "../experiment/run_metrics.ts";
import type { MemberPredictions } from "./member_predictions.ts";

/**
 * Writes, in order: each member's cached predictions (members/), the
 * combiner (model/ensemble.json), metrics.json, predictions.csv (validation
 * rows out of fold when the combiner was fitted, then test rows), a
 * header-only history.csv (an ensemble has no epochs), and the plots:
 * confusion matrices, per-class scores and the members' diversity, as HTML,
 * and as PNG and SVG when `images` is true and Chromium is there.
 *
 * @param run The ensemble run (config.json and manifest.json already written).
 * @param facts Members, combined predictions, metrics, whether to render images, and a logger.
 * @returns The plot files written.
 * @example
 * ```ts
 * await writeEnsembleRun(run, { members, combined, metrics, images: false, log: console.log });
 * ```
 */
export async function writeEnsembleRun(
  run: RunHandle,
  facts: { members: readonly MemberPredictions[]; combined: CombinedPredictions; metrics: EnsembleMetrics; images: boolean; log: (line: string) => void },
): Promise<string[]> {
  const { members, combined, metrics } = facts;
  const [first] = members;
  for (const member of members) await writeMemberCache(run, member);
  await writeEnsembleModel(run, {
    format: "fer-ensemble/1",
    classes: metrics.classes,
    members: members.map((m) => ({ runId: m.runId, name: m.name, configHash: m.configHash, tta: m.tta })),
    combiner: combined.fit.model,
    validationMode: combined.fit.validationMode,
    folds: combined.fit.folds,
  });
  await writeRunJson(run, "metrics", metrics);
  const rows: (PredictionRow & { split: string })[] = [];
  const add = (split: string, paths: string[], labels: number[], probabilities: number[][]) =>
    probabilities.forEach((row, i) => rows.push({ path: paths[i], split, trueLabel: labels[i], predictedLabel: argMax(row), probabilities: row }));
  add("validation", first.validation.paths, first.validation.labels, combined.fit.validation);
  if (first.test && combined.test) add("test", first.test.paths, first.test.labels, combined.test);
  await writePredictions(run, rows, metrics.classes);
  await atomicWrite(runPath(run, "history"), HISTORY_COLUMNS.join(",") + "\n");

  const options = { title: run.id, synthetic: metrics.synthetic };
  const { learning_curves: _none, ...figures }: Record<string, Figure> = runFigures(metrics, [], options);
  figures.diversity = diversityFigure(metrics.ensemble.diversity, options);
  return await saveRunFigures(run, figures, facts);
}
