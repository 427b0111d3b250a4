/**
 * Assembles a transfer model from a loaded backbone: input adapter, backbone,
 * and either a trainable head or the backbone's own classifier restricted to
 * the dataset's classes. The result maps dataset images to class
 * probabilities, so it is saved and evaluated like every other model.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../core/errors.ts";
import { buildHead } from "./build_head.ts";
import { inputAdapter } from "../models/input_adapter.ts";
import type { Backbone } from "./load_backbone.ts";
import { matchClassLabels } from "./match_class_labels.ts";
import { selectClasses } from "../models/select_classes.ts";

/** What a transfer run does with its backbone. */
export type TransferMode = "frozen" | "fine_tune" | "pretrained";

/** Options of {@linkcode buildTransferModel}. */
export interface TransferModelOptions {
  /** Dataset image shape `[height, width, channels]`. */
  inputShape: [number, number, number];
  /** 255 when inputs are in [0, 1] (preprocessing scale_0_1), 1 when they are raw pixels. */
  inputScale: number;
  /** Class names in label order. */
  classes: readonly string[];
  /** frozen and fine_tune add a head; pretrained uses the backbone's classifier. */
  mode: TransferMode;
  /** Hidden ReLU widths and dropout of the head. */
  head: { hiddenUnits: number[]; dropout: number };
  /** fine_tune: backbone layers with weights that train, counted from the output end. */
  unfreezeLast: number;
  /** Seed of the head's initialisers and dropout. */
  seed: number;
}

/** What {@linkcode buildTransferModel} returns. */
export interface TransferModel {
  /** Images to class probabilities: what is trained end to end, saved and evaluated. */
  model: tf.LayersModel;
  /** Images to `[n, features]` (shares the model's layers); null in pretrained mode. */
  extractor: tf.LayersModel | null;
  /** `[n, 1, 1, features]` to probabilities (shares the model's weights); null in pretrained mode. */
  head: tf.LayersModel | null;
  /** The backbone's layers that hold weights, input to output, and how many of them train. */
  backboneLayers: tf.layers.Layer[];
  trainableBackboneLayers: number;
  /** Frees every weight of the model. */
  dispose(): void;
}

/**
 * Builds the model. In frozen mode no backbone layer trains; in fine_tune
 * mode the last `unfreezeLast` backbone layers with weights train (graph
 * backbones cannot); in pretrained mode nothing trains.
 *
 * @param backbone A loaded backbone (its layers are built here, once).
 * @param options See {@linkcode TransferModelOptions}.
 * @returns The model and its parts.
 * @throws {ConfigError} For fine_tune on a graph backbone, pretrained without a classifier or with unmatched classes.
 * @example
 * ```ts
 * const built = buildTransferModel(backbone, { inputShape: [48, 48, 1], inputScale: 255, classes, mode: "frozen", head: { hiddenUnits: [], dropout: 0 }, unfreezeLast: 0, seed: 42 });
 * console.assert(built.model.outputs[0].shape[1] === classes.length);
 * ```
 */
export function buildTransferModel(backbone: Backbone, options: TransferModelOptions): TransferModel {
  if (options.mode === "fine_tune" && backbone.kind === "graph") {
    throw new ConfigError(
      `Backbone ${backbone.name} is a frozen graph model and cannot be fine-tuned; use model.mode "frozen", or a layers backbone (face_api_expression, face_api_recognition)`,
    );
  }
  const input = tf.input({ shape: options.inputShape, name: "image" });
  const adapted = inputAdapter({
    size: backbone.inputSize,
    channels: backbone.channels,
    inputScale: options.inputScale,
    mean: backbone.normalization.mean,
    std: backbone.normalization.std,
    name: "transfer_input_adapter",
  }).apply(input) as tf.SymbolicTensor;

  if (options.mode === "pretrained") {
    if (backbone.classifierLabels === null) {
      throw new ConfigError(`Backbone ${backbone.name} has no packaged classifier; mode "pretrained" needs face_api_expression or human_emotion`);
    }
    const columns = matchClassLabels(options.classes, backbone.classifierLabels, { source: backbone.name });
    const probabilities = backbone.classifier(adapted);
    const output = selectClasses({ columns, name: "transfer_select_classes" }).apply(probabilities) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: output, name: `pretrained_${backbone.name.replace(/\W+/g, "_")}` });
    model.trainable = false;
    return { model, extractor: null, head: null, backboneLayers: [], trainableBackboneLayers: 0, dispose: () => model.dispose() };
  }

  const { output: features, layers } = backbone.features(adapted);
  const width = features.shape[1] as number;
  const extractor = tf.model({ inputs: input, outputs: features, name: "transfer_extractor" });
  const head = buildHead({ features: width, numClasses: options.classes.length, ...options.head, seed: options.seed });
  const reshaped = tf.layers.reshape({ targetShape: [1, 1, width], name: "transfer_features" }).apply(features) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: head.apply(reshaped) as tf.SymbolicTensor, name: "transfer" });
  const trainable = options.mode === "fine_tune" ? Math.min(Math.max(0, options.unfreezeLast), layers.length) : 0;
  layers.forEach((layer, i) => (layer.trainable = i >= layers.length - trainable));
  return {
    model,
    extractor,
    head,
    backboneLayers: layers,
    trainableBackboneLayers: trainable,
    // Disposing the model also disposes the head and extractor it contains.
    dispose: () => model.dispose(),
  };
}
