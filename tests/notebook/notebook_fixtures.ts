/**
 * Test fixtures for the notebook helpers: a display that records bundles, a
 * run folder written by hand (no training), and small grayscale PNGs.
 */
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import sharp from "sharp";
import { evaluatePredictions } from "../../src/eval/evaluate_predictions.ts";
import type { DatasetEvaluation } from "../../src/experiment/evaluate_on_dataset.ts";
import type { RunMetrics } from "../../src/experiment/run_metrics.ts";
import { parseRunConfig } from "../../src/experiment/run_config.ts";
import type { RunManifest } from "../../src/experiment/run_manifest.ts";
import { appendHistory, createRun, type RunHandle, writePredictions, writeRunJson } from "../../src/experiment/run_store.ts";
import { makeRng } from "../../src/core/seed.ts";
import type { DisplayTarget, MediaBundle, NotebookDisplay } from "../../src/notebook/jupyter_display.ts";

/** A display that keeps every call. */
export function recordingDisplay(): { display: NotebookDisplay; calls: { bundle: MediaBundle; target?: DisplayTarget }[] } {
  const calls: { bundle: MediaBundle; target?: DisplayTarget }[] = [];
  const display: NotebookDisplay = (bundle, target) => {
    calls.push({ bundle, target });
    return Promise.resolve();
  };
  return { display, calls };
}

/** Writes a `size x size` grayscale PNG filled with `value` at `path`. */
export async function writeGrayPng(path: string, value: number, size = 8): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(
    path,
    await sharp(new Uint8Array(size * size).fill(value), { raw: { width: size, height: size, channels: 1 } }).png().toBuffer(),
  );
}

export const CLASSES = ["happy", "sad"];

/** One test prediction: true and predicted label, and the probability of "happy". */
export type FakePrediction = { path: string; trueLabel: number; pHappy: number; split?: string };

/** Two predictions, one right per class: the smallest run writeFakeRun can score. */
export const TWO_PREDICTIONS: FakePrediction[] = [
  { path: "a.png", trueLabel: 0, pHappy: 0.9 },
  { path: "b.png", trueLabel: 1, pHappy: 0.2 },
];

/** An evaluations.json entry as `fer eval` makes it: no blur, no TTA, real data, unless `extra` says otherwise. */
export function fakeDatasetEvaluation(
  root: string,
  fingerprint: string,
  splits: DatasetEvaluation["splits"],
  extra: Partial<DatasetEvaluation> = {},
): DatasetEvaluation {
  return { runId: "x", root, blurSigma: 0, tta: null, fingerprint, synthetic: false, splits, ...extra };
}

/**
 * A completed run folder with the given test predictions (validation gets the
 * same ones), two epochs of history, metrics computed by evaluatePredictions,
 * and a manifest whose dataset root is `datasetRoot`.
 */
export async function writeFakeRun(
  resultsRoot: string,
  options: { name?: string; datasetRoot: string; predictions: FakePrediction[]; synthetic?: boolean; now?: Date },
): Promise<{ run: RunHandle; metrics: RunMetrics }> {
  const name = options.name ?? "fake";
  const config = parseRunConfig({
    name,
    seed: 1,
    backend: "cpu",
    dataset: { root: options.datasetRoot, classes: CLASSES },
    model: { family: "small_cnn" },
  });
  const run = await createRun(resultsRoot, config, { name, now: options.now ?? new Date("2026-01-02T03:04:05Z") });
  const probabilities = options.predictions.map((p) => [p.pHappy, 1 - p.pHappy]);
  const labels = options.predictions.map((p) => p.trueLabel);
  const split = evaluatePredictions(probabilities, labels, { labels: CLASSES, rng: makeRng(1) }, { resamples: 50 });
  const metrics: RunMetrics = {
    classes: CLASSES,
    synthetic: options.synthetic ?? false,
    stopReason: "completed",
    epochsTrained: 2,
    keptEpoch: 2,
    validation: split,
    test: split,
  };
  await writeRunJson(run, "metrics", metrics);
  const manifest = {
    id: run.id,
    name,
    status: "completed",
    seed: 1,
    backend: { name: "cpu" },
    dataset: {
      root: options.datasetRoot,
      fingerprint: "0".repeat(64),
      synthetic: options.synthetic ?? false,
      classes: CLASSES,
      counts: {},
      validationSource: "folder",
    },
    durations: { totalSeconds: 2, trainSeconds: 1.5, evalSeconds: 0.5 },
  } as unknown as RunManifest;
  await writeRunJson(run, "manifest", manifest);
  for (const epoch of [1, 2]) {
    await appendHistory(run, {
      epoch,
      loss: 1 / epoch,
      accuracy: 0.5 + 0.1 * epoch,
      val_loss: 1.1 / epoch,
      val_accuracy: 0.5,
      lr: 0.001,
      seconds: 1,
    });
  }
  await writePredictions(
    run,
    options.predictions.flatMap((p, i) => {
      const row = { path: p.path, trueLabel: p.trueLabel, predictedLabel: p.pHappy >= 0.5 ? 0 : 1, probabilities: probabilities[i] };
      return p.split ? [{ ...row, split: p.split }] : [{ ...row, split: "validation" }, { ...row, split: "test" }];
    }),
    CLASSES,
  );
  return { run, metrics };
}

/** A new empty temporary folder. */
export async function tempDir(prefix: string): Promise<string> {
  return await mkdtemp(join(tmpdir(), `fer-nb-${prefix}-`));
}
