/**
 * A run's starting weights taken from another run (`training.initFrom`):
 * pretraining on one dataset and fine-tuning on another (FER-2013's seven
 * classes, then the four of the 4-class set), or going on from an earlier run.
 *
 * The source must be the same model (family and options), input size,
 * channels and preprocessing, so every layer's weights fit as they are; only
 * the classifier (the last layer with weights, a dense layer with one column
 * per class) depends on the classes. It keeps the source's columns of the
 * classes both runs name when the source has every class of this run, since
 * those columns already separate them; otherwise it keeps its seeded random
 * initialisation.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { configHash } from "../core/config_hash.ts";
import { ConfigError, RunError } from "../core/errors.ts";
import { experimentHash } from "./find_identical_run.ts";
import { loadModel } from "./model_files.ts";
import type { RunConfig } from "./run_config.ts";
import type { RunContext } from "./run_context.ts";
import { type RunHandle, runPath } from "./run_store.ts";
import { resolveSourceRun, type SourceRunOrigin, type SourceTrainer } from "./source_run.ts";

/** How the classifier of a run started from another run begins. */
export type InitialClassifier = "copied" | "shared_columns" | "fresh";

/** The resolved `training.initFrom` of a run. */
export interface InitialWeights {
  /** The run whose saved model gives the weights. */
  run: RunHandle;
  /** Its config's name. */
  name: string;
  /** `run`: named by id; `reused`: an earlier run of the named config; `trained`: trained now from it. */
  source: SourceRunOrigin;
  /** The source's classes, in its classifier's column order. */
  classes: string[];
  /** Copied whole (same classes, same order), the shared classes' columns, or a fresh classifier. */
  classifier: InitialClassifier;
}

/** What {@linkcode resolveInitialWeights} needs from its caller. */
export interface ResolveInitialWeightsOptions {
  /** Trains a source config that has no completed run yet, or resumes its stopped run (see {@linkcode SourceTrainer}). */
  train: SourceTrainer;
  /** Experiment hashes of the runs whose starting weights are being resolved (a cycle guard). @default [] */
  chain?: readonly string[];
}

/**
 * Finds the run `config.training.initFrom` names and checks that its weights
 * fit this config, before this run's folder exists. A value ending in `.json`
 * is a run config (relative to the project): its newest identical completed run
 * is used, else it is trained first; any other value is a run id.
 *
 * @param config This run's config (initFrom set).
 * @param ctx Paths and logging; training a source config uses it too.
 * @param options How to train a source config, and the cycle guard.
 * @returns The source run and how the classifier starts.
 * @throws {ConfigError} For an unknown run, a config file that cannot be read, a cycle, a
 *   source trained as another model, size, channels or preprocessing, or a source without a saved model.
 * @example
 * ```ts
 * const init = await resolveInitialWeights(config, ctx, { train: (source) => runExperiment(source, ctx) });
 * ```
 */
export async function resolveInitialWeights(
  config: RunConfig,
  ctx: Pick<RunContext, "projectRoot" | "resultsRoot" | "log" | "signal">,
  options: ResolveInitialWeightsOptions,
): Promise<InitialWeights> {
  const initFrom = config.training.initFrom;
  if (initFrom === null) throw new ConfigError("resolveInitialWeights needs a config with training.initFrom set");
  const source = await resolveSourceRun(initFrom, ctx, {
    field: "training.initFrom",
    train: options.train,
    chain: [...(options.chain ?? []), experimentHash(config)],
    check: (sourceText, sourceConfig) => refuseMismatches(sourceText, sourceConfig, config),
  });
  return {
    run: source.run,
    name: source.config.name,
    source: source.origin,
    classes: source.config.dataset.classes,
    classifier: classifierStart(source.config.dataset.classes, config.dataset.classes),
  };
}

/**
 * Why a source run's weights do not fit a config (empty when they do): a
 * different model section, input size, channel count or preprocessing.
 *
 * @param source The source run's config.
 * @param target The config that would start from it.
 * @returns One phrase per difference.
 * @example
 * ```ts
 * const a = parseRunConfig({ name: "a", model: { family: "small_cnn" } });
 * console.assert(initMismatches(a, { ...a, model: { family: "vgg_like" } }).length === 1);
 * ```
 */
export function initMismatches(source: RunConfig, target: RunConfig): string[] {
  const found: string[] = [];
  if (configHash(source.model) !== configHash(target.model)) {
    found.push(`its model is ${JSON.stringify(source.model)}, this config's ${JSON.stringify(target.model)}`);
  }
  for (const field of ["size", "channels", "preprocessing", "equalize"] as const) {
    if (source.dataset[field] !== target.dataset[field]) {
      found.push(`its dataset.${field} is ${JSON.stringify(source.dataset[field])}, this config's ${JSON.stringify(target.dataset[field])}`);
    }
  }
  return found;
}

/**
 * How the classifier starts, from the two runs' class lists.
 *
 * @param sourceClasses The source run's classes.
 * @param targetClasses This run's classes.
 * @returns `copied` for the same list, `shared_columns` when the source has every class, else `fresh`.
 * @example
 * ```ts
 * console.assert(classifierStart(["angry", "happy", "sad"], ["sad", "happy"]) === "shared_columns");
 * ```
 */
export function classifierStart(sourceClasses: readonly string[], targetClasses: readonly string[]): InitialClassifier {
  if (sourceClasses.length === targetClasses.length && sourceClasses.every((name, i) => name === targetClasses[i])) return "copied";
  return targetClasses.every((name) => sourceClasses.includes(name)) ? "shared_columns" : "fresh";
}

/**
 * Sets a freshly built model's weights from the source run's saved model:
 * every layer's as they are, the classifier's as {@linkcode InitialWeights.classifier} says.
 *
 * @param model The model this run built (same architecture as the source, its own class count).
 * @param init From {@linkcode resolveInitialWeights}.
 * @param targetClasses This run's classes, in its classifier's column order.
 * @returns A line for the log saying what was copied.
 * @throws {RunError} When the saved model does not match the built one layer by layer (its files were changed).
 * @example
 * ```ts
 * ctx.log(await applyInitialWeights(model, init, config.dataset.classes));
 * ```
 */
export async function applyInitialWeights(model: tf.LayersModel, init: InitialWeights, targetClasses: readonly string[]): Promise<string> {
  const sourceModel = await loadModel(runPath(init.run, "model"));
  try {
    const mismatch = (detail: string) =>
      new RunError(`training.initFrom: the saved model of run ${init.run.id} does not match the model built for this run (${detail}); its files may have been changed: start from another run`);
    if (sourceModel.layers.length !== model.layers.length) throw mismatch(`${sourceModel.layers.length} layers against ${model.layers.length}`);
    const classifierIndex = model.layers.findLastIndex((layer) => layer.weights.length > 0);
    let copied = 0;
    for (const [i, layer] of model.layers.entries()) {
      const sourceLayer = sourceModel.layers[i];
      if (layer.weights.length === 0) continue;
      if (sourceLayer.getClassName() !== layer.getClassName() || sourceLayer.weights.length !== layer.weights.length) {
        throw mismatch(`layer ${i} is a ${sourceLayer.getClassName()} there, a ${layer.getClassName()} here`);
      }
      if (i === classifierIndex && init.classifier !== "copied") {
        if (init.classifier === "fresh") continue;
        const columns = tf.tensor1d(targetClasses.map((name) => init.classes.indexOf(name)), "int32");
        // Kernel [units, classes] and bias [classes]: keep this run's classes' columns, in its order.
        const picked = tf.tidy(() => sourceLayer.getWeights().map((weight) => tf.gather(weight, columns, weight.rank - 1)));
        columns.dispose();
        try {
          setChecked(layer, picked, i, mismatch);
        } finally {
          tf.dispose(picked);
        }
        copied++;
        continue;
      }
      setChecked(layer, sourceLayer.getWeights(), i, mismatch);
      copied++;
    }
    const classifier = {
      copied: "the classifier copied whole",
      shared_columns: `the classifier's columns of ${targetClasses.join(", ")} out of its ${init.classes.length} classes`,
      fresh: `a fresh classifier (it was trained on ${init.classes.join(", ")}, which lacks some of this run's classes)`,
    }[init.classifier];
    return `Starting weights: run ${init.run.id} (${init.name}), ${copied} layers with weights copied, ${classifier}`;
  } finally {
    sourceModel.dispose();
  }
}

function setChecked(layer: tf.layers.Layer, weights: tf.Tensor[], index: number, mismatch: (detail: string) => RunError): void {
  const own = layer.getWeights();
  weights.forEach((weight, j) => {
    if (weight.shape.join("x") !== own[j].shape.join("x")) {
      throw mismatch(`layer ${index} (${layer.name}) weight ${j} is ${weight.shape.join("x")} there, ${own[j].shape.join("x")} here`);
    }
  });
  // The layer's variables take their own reference to the data, so the source model can be disposed after.
  layer.setWeights(weights);
}

/** Throws when the source config's model or input cannot give this run its starting weights. */
function refuseMismatches(sourceText: string, sourceConfig: RunConfig, config: RunConfig): void {
  const mismatches = initMismatches(sourceConfig, config);
  if (mismatches.length > 0) {
    throw new ConfigError(
      `training.initFrom: ${sourceText} (${sourceConfig.name}) cannot give ${config.name} its starting weights: ` +
        `${mismatches.join("; ")}. Start from a run of the same model, input and preprocessing`,
    );
  }
}
