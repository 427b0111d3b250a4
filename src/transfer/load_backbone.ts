/**
 * Loads a backbone from disk (or from the URL a user named) and builds its
 * layers on demand: the one entry point from a config's `model.backbone` to
 * tensors.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../core/errors.ts";
import { BACKBONE_NAMES, BACKBONES, type BackboneName, type CustomBackboneConfig } from "./backbone_registry.ts";
import { faceExpressionLayers } from "./face_expression_layers.ts";
import { faceRecognitionLayers } from "./face_recognition_layers.ts";
import { type FeaturePooling, graphModelLayer } from "./graph_model_layer.ts";
import { type ChannelNormalization, resolveNormalization } from "./normalization.ts";
import { readModelArtifacts } from "./read_model_artifacts.ts";
import { readWeightManifest } from "./read_weight_manifest.ts";

/** face-api's weights, relative to the project root. */
const FACE_API_MODELS = "node_modules/@vladmandic/face-api/model";

/** Layers applied to an input, and the ones among them that hold weights (input to output). */
export interface BackboneOutput {
  output: tf.SymbolicTensor;
  layers: tf.layers.Layer[];
}

/** A loaded backbone. Build its layers with `features` or `classifier` (one of them, once). */
export interface Backbone {
  /** Registry name, or the URL/path of a custom backbone. */
  name: string;
  /** "layers" can be fine-tuned; "graph" is frozen. */
  kind: "layers" | "graph";
  /** Side of the square input in pixels. */
  inputSize: number;
  /** Input channels. */
  channels: 1 | 3;
  /** Per-channel mean and std on 0..255 pixels. */
  normalization: ChannelNormalization;
  /** SHA-256 (hex) of the weights and every setting that changes the features. */
  fingerprint: string;
  /** Labels of the packaged classifier's outputs; null when it has none. */
  classifierLabels: readonly string[] | null;
  /** Applies the backbone to an adapted input: `[n, inputSize, inputSize, channels]` to `[n, features]`. */
  features(input: tf.SymbolicTensor): BackboneOutput;
  /** Applies the backbone and its packaged classifier: probabilities over `classifierLabels`. */
  classifier(input: tf.SymbolicTensor): tf.SymbolicTensor;
  /** Frees the loaded weights; built layers keep their own copies. */
  dispose(): void;
}

/**
 * Loads a backbone by registry name or from a custom config.
 *
 * @param source A name from {@linkcode BACKBONE_NAMES}, or a {@linkcode CustomBackboneConfig}.
 * @param options `projectRoot` (where node_modules and .cache are); `fetch` replaces the global fetch (tests).
 * @returns The backbone.
 * @throws {ConfigError} For an unknown name, missing files (naming the command that installs them) or a bad feature node.
 * @example
 * ```ts
 * const backbone = await loadBackbone("face_api_expression", { projectRoot: "." });
 * const input = tf.input({ shape: [112, 112, 3] });
 * console.assert(backbone.features(input).output.shape[1] === 256);
 * backbone.dispose();
 * ```
 */
export async function loadBackbone(
  source: BackboneName | CustomBackboneConfig,
  options: { projectRoot: string; fetch?: typeof fetch },
): Promise<Backbone> {
  if (typeof source !== "string") return await loadCustom(source, options);
  const info = BACKBONES[source];
  if (info === undefined) throw new ConfigError(`Unknown backbone "${source}" at model.backbone; known: ${BACKBONE_NAMES.join(", ")}`);
  const base = {
    name: source,
    kind: info.kind,
    inputSize: info.inputSize,
    channels: info.channels,
    normalization: resolveNormalization(info.normalization, info.channels),
    classifierLabels: info.classifierLabels,
  };
  if (info.kind === "layers") {
    const { weights, sha256 } = await readWeightManifest(join(options.projectRoot, FACE_API_MODELS), info.file, { install: info.install });
    const noClassifier = () => {
      throw new ConfigError(`Backbone ${source} has no packaged classifier; mode "pretrained" needs face_api_expression or human_emotion`);
    };
    return {
      ...base,
      fingerprint: fingerprintOf({ ...base, sha256 }),
      features: (input) => {
        if (source === "face_api_expression") {
          const built = faceExpressionLayers(input, weights);
          return { output: built.features, layers: built.layers };
        }
        const built = faceRecognitionLayers(input, weights);
        return { output: built.descriptor, layers: built.layers };
      },
      classifier: (input) => (source === "face_api_expression" ? faceExpressionLayers(input, weights, { classifier: true }).probabilities! : noClassifier()),
      dispose: () => tf.dispose(Object.values(weights)),
    };
  }
  const files = await readModelArtifacts(info.file, { projectRoot: options.projectRoot }).catch((error: Error) => {
    throw new ConfigError(`Backbone ${source} needs ${info.file}, which cannot be read (${error.message}); fetch it with: ${info.install}`);
  });
  const inputShape = [info.inputSize, info.inputSize, info.channels];
  const graphLayer = (outputNode: string, pooling: FeaturePooling) =>
    graphModelLayer(files.artifacts, { outputNode, pooling, inputShape, name: `${source}_graph` });
  return {
    ...base,
    fingerprint: fingerprintOf({ ...base, sha256: files.sha256, node: info.featureNode, pooling: info.pooling }),
    features: (input) => ({ output: graphLayer(info.featureNode!, info.pooling).apply(input) as tf.SymbolicTensor, layers: [] }),
    classifier: (input) => {
      if (info.classifierNode === null) {
        throw new ConfigError(`Backbone ${source} has no packaged classifier; mode "pretrained" needs face_api_expression or human_emotion`);
      }
      return graphLayer(info.classifierNode, "flatten").apply(input) as tf.SymbolicTensor;
    },
    dispose: () => {},
  };
}

async function loadCustom(config: CustomBackboneConfig, options: { projectRoot: string; fetch?: typeof fetch }): Promise<Backbone> {
  const files = await readModelArtifacts(config.url, options);
  const base = {
    name: config.url,
    kind: files.kind,
    inputSize: config.inputSize,
    channels: config.channels,
    normalization: resolveNormalization(config.normalization, config.channels),
    classifierLabels: null,
  };
  const fingerprint = fingerprintOf({ ...base, sha256: files.sha256, node: config.featureNode, pooling: config.pooling });
  const noClassifier = (): never => {
    throw new ConfigError(`A custom backbone has no known classifier labels; mode "pretrained" needs face_api_expression or human_emotion`);
  };
  if (files.kind === "graph") {
    const inputShape = [config.inputSize, config.inputSize, config.channels];
    return {
      ...base,
      fingerprint,
      features: (input) => ({
        output: graphModelLayer(files.artifacts, { outputNode: config.featureNode, pooling: config.pooling, inputShape, name: "custom_graph" })
          .apply(input) as tf.SymbolicTensor,
        layers: [],
      }),
      classifier: noClassifier,
      dispose: () => {},
    };
  }
  const model = await tf.loadLayersModel(tf.io.fromMemory(files.artifacts));
  const names = model.layers.map((layer) => layer.name);
  if (!names.includes(config.featureNode)) {
    model.dispose();
    throw new ConfigError(
      `Layer "${config.featureNode}" is not in ${config.url}; its last layers are: ${names.slice(-8).join(", ")}; set model.backbone.featureNode to one of them`,
    );
  }
  const inner = tf.model({ inputs: model.inputs, outputs: model.getLayer(config.featureNode).output, name: "custom_backbone" });
  return {
    ...base,
    fingerprint,
    features: (input) => {
      let output = inner.apply(input) as tf.SymbolicTensor;
      if (output.rank === 4) {
        const pool = config.pooling === "avg"
          ? tf.layers.globalAveragePooling2d({ name: "custom_backbone_pool" })
          : config.pooling === "max"
          ? tf.layers.globalMaxPooling2d({ name: "custom_backbone_pool" })
          : tf.layers.flatten({ name: "custom_backbone_pool" });
        output = pool.apply(output) as tf.SymbolicTensor;
      }
      return { output, layers: inner.layers.filter((layer) => layer.weights.length > 0) };
    },
    classifier: noClassifier,
    // The layers after the feature node belong to no built model; the rest go with the model that uses them.
    dispose: () => model.layers.filter((layer) => !inner.layers.includes(layer)).forEach((layer) => layer.dispose()),
  };
}

function fingerprintOf(facts: Record<string, unknown>): string {
  return createHash("sha256").update(JSON.stringify(facts)).digest("hex");
}
