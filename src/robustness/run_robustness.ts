/**
 * `fer robustness`: a run's model under the perturbation suite, written into
 * the run folder as robustness.json, plots and an example sheet.
 *
 * @module
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { atomicWrite } from "../core/atomic_write.ts";
import { ConfigError } from "../core/errors.ts";
import { makeRng } from "../core/seed.ts";
import type { ImageSet } from "../data/image_set.ts";
import { limitImageSet } from "../data/limit_image_set.ts";
import { loadDataset } from "../data/load_dataset.ts";
import { unequalizedLoadOptions } from "../experiment/dataset_load_options.ts";
import { loadModel } from "../experiment/model_files.ts";
import type { RunConfig } from "../experiment/run_config.ts";
import type { RunManifest } from "../experiment/run_manifest.ts";
import { resolveDatasetRoot } from "../experiment/resolve_dataset_root.ts";
import { readRunJson, type RunHandle, runPath, writeRunJson } from "../experiment/run_store.ts";
import { saveRunFigures } from "../experiment/write_run_plots.ts";
import { pathExists } from "../data/path_exists.ts";
import { PERTURBATIONS, selectPerturbations } from "./perturbation_suite.ts";
import { ttaText, ttaViews } from "../predict/tta_views.ts";
import { measureRobustness, type RobustnessMeasurement } from "./measure_robustness.ts";
import { robustnessExampleSheet } from "./robustness_examples.ts";
import { robustnessFigures } from "../viz/robustness_figures.ts";
import { encodePerImage, type RobustnessReport, summariseRobustness } from "./robustness_report.ts";

/** File name of the example sheet in the run's plots/. */
export const ROBUSTNESS_EXAMPLES_FILE = "robustness_examples.png";

/** Options for {@linkcode runRobustness}. */
export interface RobustnessOptions {
  /** Dataset root. @default the root the run was trained on (its manifest), else its config's */
  root?: string;
  /** Split to perturb. @default "validation" */
  split?: string;
  /** Perturbation or family names. @default every perturbation */
  perturbations?: readonly string[];
  /** Seed of the perturbations' draws. @default the run's seed */
  seed?: number;
  /** Evaluate a stratified subset of at most this many images (quick looks, notebooks' smoke mode). @default the whole split */
  limit?: number;
  /** A run whose robustness.json the corruption errors are measured against (mCE). @default none */
  baseline?: RunHandle;
  /** Decoded-dataset cache, or null. */
  cacheDir: string | null;
  /** Project root, to resolve `"auto"` and relative dataset roots. */
  projectRoot: string;
  /** Write PNG/SVG plots as well as HTML (needs Chromium). @default false */
  images?: boolean;
  /** Images per prediction batch. @default ROBUSTNESS_BATCH_SIZE (64) */
  batchSize?: number;
  /** Progress lines. @default none */
  log?: (line: string) => void;
  /** Milliseconds clock, for the time the suite took. @default performance.now */
  now?: () => number;
  /** Stops the suite after the prediction batch it is in (a Ctrl-C): the signal's reason is thrown and nothing is written. */
  signal?: AbortSignal;
}

/**
 * Evaluates the run's model on the clean split and under every perturbation at
 * severities 1-5 (on the active backend, preprocessed and blurred as the run's
 * evaluation is), then writes robustness.json, the figures and the example sheet.
 *
 * @param run A finished single-model run.
 * @param options See {@linkcode RobustnessOptions}.
 * @returns The report written.
 * @throws {ConfigError} For an ensemble run, a run without a model, a split the dataset lacks, or a baseline without robustness.json.
 * @example
 * ```ts
 * const report = await runRobustness(run, { cacheDir: ".cache/datasets", projectRoot: ".", perturbations: ["lighting"] });
 * console.log(report.meanCorruptionAccuracy);
 * ```
 */
export async function runRobustness(run: RunHandle, options: RobustnessOptions): Promise<RobustnessReport> {
  const now = options.now ?? (() => performance.now());
  const log = options.log ?? (() => {});
  const config = await readRunJson<RunConfig & { kind?: string }>(run, "config");
  if (!config) throw new ConfigError(`Run ${run.id} has no config.json`);
  if (config.kind === "ensemble") {
    throw new ConfigError(`Run ${run.id} is an ensemble; robustness takes a single-model run: run it on each member (listed in its manifest.json)`);
  }
  if (!(await pathExists(join(runPath(run, "model"), "model.json")))) {
    throw new ConfigError(
      `Run ${run.id} has no model (${runPath(run, "model")}/model.json is missing); the model is saved when training ends: check the run with deno task fer show ${run.id}`,
    );
  }
  const perturbations = options.perturbations ? selectPerturbations(options.perturbations) : [...PERTURBATIONS];
  const baseline = options.baseline ? await readBaseline(options.baseline) : null;
  const split = options.split ?? "validation";
  const manifest = await readRunJson<RunManifest>(run, "manifest");
  const root = options.root ?? manifest?.dataset.root ??
    (await resolveDatasetRoot(config.dataset.root, { projectRoot: options.projectRoot, classes: config.dataset.classes })).root;
  const seed = options.seed ?? config.seed;
  const started = now();
  // Perturbations change the photograph, so faces are decoded without the run's equalisation; measureRobustness applies it after.
  const dataset = await loadDataset(root, unequalizedLoadOptions(config, options.cacheDir));
  const available: Record<string, ImageSet | undefined> = dataset.splits;
  let set = available[split];
  if (!set || set.count === 0) {
    throw new ConfigError(`Split "${split}" is not in ${root}; it has: ${Object.keys(available).filter((k) => available[k]?.count).join(", ")}`);
  }
  if (options.limit !== undefined) set = limitImageSet(set, options.limit, makeRng(seed));
  const model = await loadModel(runPath(run, "model"));
  log(`${split}: ${set.count} images; ${perturbations.length} perturbations x 5 severities`);
  if (config.tta) {
    // Twelve views of every perturbed copy would cost twelve times the suite; the one-view figures compare runs alike.
    log(
      `Each image is scored on one view: the run's test-time augmentation (${ttaText(config.tta)}, ${ttaViews(config.tta).length} views) is not applied here, ` +
        `so the clean accuracy is the one-view figure, below metrics.json's`,
    );
  }
  let measured: RobustnessMeasurement;
  try {
    measured = await measureRobustness(model, set, {
      classes: config.dataset.classes,
      preprocessing: config.dataset.preprocessing,
      blurSigma: config.dataset.evalBlurSigma ?? 0,
      equalize: config.dataset.equalize,
      perturbations,
      seed,
      batchSize: options.batchSize,
      now,
      signal: options.signal,
      onPerturbation: (p, accuracies) => log(`${p.family.padEnd(9)} ${p.name.padEnd(16)} ${accuracies.map((a) => a.toFixed(3)).join(" ")}`),
    });
  } finally {
    model.dispose();
  }
  const { clean, results } = measured;
  const report: RobustnessReport = {
    runId: run.id,
    root: dataset.root,
    fingerprint: dataset.fingerprint,
    synthetic: dataset.synthetic,
    split,
    images: set.count,
    classes: [...config.dataset.classes],
    seed,
    backend: tf.getBackend(),
    suite: perturbations.map(({ name, family, description }) => ({ name, family, description })),
    clean,
    results,
    ...summariseRobustness(clean, results, baseline, split),
    seconds: (now() - started) / 1000,
    perturbSeconds: measured.perturbSeconds,
    predictSeconds: measured.predictSeconds,
    perImage: encodePerImage(set, measured.correct, perturbations.map((p) => p.name)),
    predictions: measured.predictions,
    createdAt: new Date().toISOString(),
  };
  await writeRunJson(run, "robustness", report);
  await saveRunFigures(run, robustnessFigures(report), { images: options.images ?? false, log });
  await mkdir(runPath(run, "plots"), { recursive: true });
  await atomicWrite(join(runPath(run, "plots"), ROBUSTNESS_EXAMPLES_FILE), await robustnessExampleSheet(set, perturbations, { seed }));
  return report;
}

/**
 * Reads a run's robustness.json.
 *
 * @param run The run.
 * @returns The report.
 * @throws {ConfigError} When the run has none yet, saying how to make it.
 * @example
 * ```ts
 * const report = await readRobustnessReport(await openRun("results", id));
 * ```
 */
export async function readRobustnessReport(run: RunHandle): Promise<RobustnessReport> {
  const report = await readRunJson<RobustnessReport>(run, "robustness");
  if (!report) {
    throw new ConfigError(`Run ${run.id} has no robustness.json; make it with: deno task fer robustness ${run.id}`);
  }
  return report;
}

async function readBaseline(run: RunHandle): Promise<RobustnessReport> {
  const report = await readRunJson<RobustnessReport>(run, "robustness");
  if (!report) {
    throw new ConfigError(
      `Baseline run ${run.id} has no robustness.json; run deno task fer robustness ${run.id} first, then pass it as --baseline`,
    );
  }
  return report;
}
