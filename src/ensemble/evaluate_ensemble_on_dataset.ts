/**
 * An ensemble run on any dataset: each member predicts the dataset with its
 * own decode options and TTA, the saved combiner combines them, and the
 * result is scored as `fer eval` scores a single model.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import { makeRng } from "../core/seed.ts";
import { evaluatePredictions, type SplitMetrics } from "../eval/evaluate_predictions.ts";
import { type DatasetEvaluation, type DatasetPredictions, predictOnDataset } from "../experiment/evaluate_on_dataset.ts";
import { openRun, readRunJson, type RunHandle } from "../experiment/run_store.ts";
import { anyLeaked } from "../experiment/own_training_leakage.ts";
import { applyCombiner } from "./apply_combiner.ts";
import type { EnsembleConfig } from "./ensemble_config.ts";
import { readEnsembleModel } from "./ensemble_files.ts";

/**
 * Evaluates a saved ensemble on the chosen splits of `root`. Members are
 * found in `resultsRoot` by the run ids model/ensemble.json lists, and must
 * all see the same images (they read the same folder; a member with other
 * classes or a limit would not). The combiner is applied as fitted on the
 * ensemble's own validation split: on those same images (the ensemble's
 * validation, under another root) the figure is in-sample for a fitted
 * combiner, where the ensemble's metrics.json gives it out of fold.
 *
 * @param run A finished ensemble run.
 * @param root Dataset root.
 * @param options The results folder (to find the members), the splits (default: every split the dataset has), the decode cache, and a
 *   signal that stops the members' predictions after the view or batch they are in (its reason is thrown).
 * @returns Metrics per split, recorded like a single model's (`tta`: the members' shared TTA, or null when they differ).
 * @throws {ConfigError} When the run has no combiner file, a member is missing, or members saw different images.
 * @example
 * ```ts
 * const result = await evaluateEnsembleOnDataset(run, "../shared/data/facial_emotion_images", { resultsRoot: "results/runs", splits: ["test"], cacheDir: null });
 * ```
 */
export async function evaluateEnsembleOnDataset(
  run: RunHandle,
  root: string,
  options: {
    resultsRoot: string;
    splits?: string[];
    cacheDir: string | null;
    signal?: AbortSignal;
    /** Keep each member's predictions in the score cache with these facts (see predictOnDataset); absent: no cache. */
    scoredWith?: Record<string, unknown>;
    /** The progress callback of a member's pass over a split (by its index), asked for only when it is scored. */
    progress?: (member: number, split: string) => ((done: number, total: number) => void) | undefined;
    log?: (line: string) => void;
  },
): Promise<DatasetEvaluation> {
  const model = await readEnsembleModel(run);
  const config = await readRunJson<EnsembleConfig>(run, "config");
  if (!model || !config) {
    throw new ConfigError(`Run ${run.id} has no model/ensemble.json or config.json; it is not a finished ensemble run: rerun its config`);
  }
  const predictions: DatasetPredictions[] = [];
  for (const [index, member] of model.members.entries()) {
    const memberRun = await openRun(options.resultsRoot, member.runId).catch((error: Error) => {
      throw new ConfigError(`Member run ${member.runId} of ensemble ${run.id} cannot be opened (${error.message}); restore it or rerun the ensemble's config`);
    });
    // The ensemble's classes: a member trained on more (an ensemble with a `dataset`) is restricted to them.
    predictions.push(
      await predictOnDataset(memberRun, root, {
        splits: options.splits,
        cacheDir: options.cacheDir,
        tta: member.tta ?? null,
        classes: model.classes,
        signal: options.signal,
        scoredWith: options.scoredWith,
        progress: options.progress && ((split) => options.progress!(index, split)),
        log: options.log,
      }),
    );
  }
  const [first] = predictions;
  const rng = makeRng(config.seed);
  const splits: Record<string, SplitMetrics> = {};
  for (const [name, split] of Object.entries(first.splits)) {
    predictions.forEach((member, index) => {
      const paths = member.splits[name]?.set.paths ?? [];
      const at = paths.findIndex((path, i) => path !== split.set.paths[i]);
      if (paths.length !== split.set.paths.length || at >= 0) {
        throw new ConfigError(
          `Members ${model.members[0].runId} and ${model.members[index].runId} read different ${name} images in ${root} ` +
            `(${split.set.paths.length} and ${paths.length} images); ensemble members must decode the dataset alike`,
        );
      }
    });
    const rows = applyCombiner(model.combiner, predictions.map((member) => member.splits[name].probabilities));
    // An image is leaked when it has a copy in the dataset's train split or in any member's own training data.
    const leaked = anyLeaked(predictions.map((member) => member.splits[name].leaked));
    splits[name] = evaluatePredictions(rows, split.set.labels, { labels: model.classes, rng }, { leaked });
  }
  const ttas = model.members.map((member) => JSON.stringify(member.tta));
  return {
    runId: run.id,
    root: first.root,
    // Members blur as their own configs say; the record keeps the strongest.
    blurSigma: Math.max(...predictions.map((member) => member.blurSigma)),
    tta: ttas.every((tta) => tta === ttas[0]) ? model.members[0].tta : null,
    fingerprint: first.fingerprint,
    synthetic: first.synthetic,
    splits,
  };
}
