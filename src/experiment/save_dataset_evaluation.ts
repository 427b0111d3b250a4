/**
 * Keeps a run's evaluations on other datasets in its folder
 * (evaluations.json), so that `fer compare` can show a row per dataset.
 *
 * @module
 */
import { basename } from "node:path";
import type { DatasetEvaluation } from "./evaluate_on_dataset.ts";
import { ttaText } from "../predict/tta_views.ts";
import { readRunJson, type RunHandle, writeRunJson } from "./run_store.ts";

/** One evaluation as evaluations.json keeps it. */
export interface SavedDatasetEvaluation extends DatasetEvaluation {
  /** The dataset's name: its root folder's name. */
  dataset: string;
  /** When the newest of its splits was evaluated (ISO 8601). */
  evaluatedAt: string;
}

/** The contents of evaluations.json. */
export interface DatasetEvaluations {
  /** Oldest first; one entry per dataset (fingerprint) and settings (blur, TTA, face detection, class restriction). */
  evaluations: SavedDatasetEvaluation[];
}

/**
 * Describes the settings an evaluation ran with besides the plain model, in
 * the order class restriction, face detection, blur, test-time augmentation:
 * the words `fer compare` and `fer card` show beside its figures.
 *
 * @param evaluation An evaluation's `classes`, `runClassCount`, `detectorInputSize`, `blurSigma` and `tta`.
 * @returns Comma-separated, e.g. "4 of 7 classes, faces detected (input 416), blur 2, TTA flip+4 shifts"; "" for none.
 * @example
 * ```ts
 * const text = describeEvaluationSettings({ blurSigma: 2, tta: { horizontalFlip: true, shifts: [], crops: null } });
 * console.assert(text === "blur 2, TTA flip");
 * const restricted = describeEvaluationSettings({ classes: ["happy", "sad", "surprise", "neutral"], runClassCount: 7, blurSigma: 0, tta: null });
 * console.assert(restricted === "4 of 7 classes");
 * ```
 */
export function describeEvaluationSettings(
  evaluation: Pick<DatasetEvaluation, "blurSigma" | "tta" | "detectorInputSize" | "classes" | "runClassCount">,
): string {
  const { classes, runClassCount, detectorInputSize, blurSigma, tta } = evaluation;
  return [
    classes ? `${classes.length} of ${runClassCount ?? "the run's"} classes` : "",
    detectorInputSize ? `faces detected (input ${detectorInputSize})` : "",
    blurSigma > 0 ? `blur ${blurSigma}` : "",
    tta ? `TTA ${ttaText(tta)}` : "",
  ].filter(Boolean).join(", ");
}

/**
 * Adds an evaluation to the run's evaluations.json. An earlier entry for the
 * same dataset fingerprint, blur, TTA, face detection and class restriction (the
 * same classes in the same order) is updated in place: the splits
 * evaluated now replace theirs and the others are kept, so evaluating test
 * and then validation leaves both.
 *
 * @param run The evaluated run.
 * @param evaluation From `evaluateOnDataset`.
 * @param options `now` (the time recorded). @default the current time
 * @returns The entry as saved.
 * @example
 * ```ts
 * const saved = await saveDatasetEvaluation(run, await evaluateOnDataset(run, "data/other", { cacheDir: null }));
 * console.assert(saved.dataset === "other");
 * ```
 */
export async function saveDatasetEvaluation(
  run: RunHandle,
  evaluation: DatasetEvaluation,
  options: { now?: Date } = {},
): Promise<SavedDatasetEvaluation> {
  const file = (await readRunJson<DatasetEvaluations>(run, "evaluations")) ?? { evaluations: [] };
  const same = (e: DatasetEvaluation) =>
    e.fingerprint === evaluation.fingerprint && e.blurSigma === evaluation.blurSigma && JSON.stringify(e.tta) === JSON.stringify(evaluation.tta) &&
    (e.detectorInputSize ?? null) === (evaluation.detectorInputSize ?? null) &&
    JSON.stringify(e.classes ?? null) === JSON.stringify(evaluation.classes ?? null);
  const earlier = file.evaluations.find(same);
  const saved: SavedDatasetEvaluation = {
    ...evaluation,
    dataset: basename(evaluation.root),
    evaluatedAt: (options.now ?? new Date()).toISOString(),
    splits: { ...earlier?.splits, ...evaluation.splits },
  };
  const evaluations = earlier ? file.evaluations.map((e) => (e === earlier ? saved : e)) : [...file.evaluations, saved];
  await writeRunJson(run, "evaluations", { evaluations });
  return saved;
}
