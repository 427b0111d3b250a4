/**
 * A layer that runs a frozen tfjs GraphModel (a converted TF graph such as
 * human-models' emotion net) and returns one of its nodes as a feature
 * vector, so graph backbones fit in a LayersModel beside the adapter and head.
 *
 * The graph is not a layer weight: the run's model/ folder stores it beside
 * model.json (see graph_layer_files.ts), and loading attaches it again.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../core/errors.ts";

/** How a 4-D feature map becomes a vector: mean or max over height and width, or all values in order. */
export type FeaturePooling = "avg" | "max" | "flatten";

/** Which node gives the features and how they are pooled. */
export interface GraphOutputSpec {
  /** Node name, e.g. `StatefulPartitionedCall/model_1/add_2/add`. */
  outputNode: string;
  /** Applied when the node's output is 4-D. */
  pooling: FeaturePooling;
}

/** The layer class; use {@linkcode graphModelLayer} to make one. */
export class GraphModelLayer extends tf.layers.Layer {
  static className = "FerGraphModelLayer";
  readonly outputDim: number;
  #graph: ReturnType<typeof tf.loadGraphModelSync> | null = null;
  #artifacts: tf.io.ModelArtifacts | null = null;
  #spec: GraphOutputSpec | null = null;

  constructor(args: { outputDim: number; name?: string }) {
    super({ name: args.name, trainable: false });
    this.outputDim = args.outputDim;
  }

  /** Gives the layer its graph (from the files the artifacts came from) and output node. */
  attach(artifacts: tf.io.ModelArtifacts, spec: GraphOutputSpec): void {
    this.#graph?.dispose();
    this.#graph = tf.loadGraphModelSync(artifacts);
    this.#artifacts = artifacts;
    this.#spec = { ...spec };
  }

  /** The attached graph's files and output spec, for saving; null before {@linkcode attach}. */
  get source(): { artifacts: tf.io.ModelArtifacts; spec: GraphOutputSpec } | null {
    return this.#artifacts && this.#spec ? { artifacts: this.#artifacts, spec: this.#spec } : null;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [shape[0], this.outputDim];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    if (this.#graph === null || this.#spec === null) {
      throw new ConfigError(`Graph layer ${this.name} has no graph attached; load the model with loadModel from src/experiment`);
    }
    const { outputNode, pooling } = this.#spec;
    const graph = this.#graph;
    return tf.tidy(() => poolFeatures(graph.execute(input, outputNode) as tf.Tensor, pooling));
  }

  override dispose(): ReturnType<tf.layers.Layer["dispose"]> {
    const result = super.dispose();
    if (result.refCountAfterDispose === 0) {
      this.#graph?.dispose();
      this.#graph = null;
    }
    return result;
  }

  override getConfig(): tf.serialization.ConfigDict {
    // Numbers only: tfjs re-cases string values in layer configs; the node name is saved beside the graph.
    return { ...super.getConfig(), outputDim: this.outputDim };
  }
}
tf.serialization.registerClass(GraphModelLayer);

/**
 * Makes a layer that runs the graph in `artifacts` and returns `spec.outputNode`,
 * pooled to `[n, features]`. It probes the graph once with zeros of `inputShape`
 * to learn the feature count.
 *
 * @param artifacts The graph model's files (see readModelArtifacts).
 * @param options Output node, pooling, the input shape without the batch, and a layer name.
 * @returns The layer, graph attached.
 * @throws {ConfigError} When the node is not in the graph or the graph rejects the input shape.
 * @example
 * ```ts
 * const layer = graphModelLayer(artifacts, { outputNode: "Identity", pooling: "avg", inputShape: [64, 64, 1] });
 * console.assert(layer.outputDim === 7);
 * ```
 */
export function graphModelLayer(
  artifacts: tf.io.ModelArtifacts,
  options: GraphOutputSpec & { inputShape: number[]; name?: string },
): GraphModelLayer {
  const graph = tf.loadGraphModelSync(artifacts);
  let outputDim: number;
  try {
    outputDim = tf.tidy(() => {
      const probe = graph.execute(tf.zeros([1, ...options.inputShape]), options.outputNode) as tf.Tensor;
      return poolFeatures(probe, options.pooling).shape[1];
    });
  } catch (error) {
    throw new ConfigError(
      `Graph node "${options.outputNode}" cannot be computed from a [${options.inputShape}] input ` +
        `(${(error as Error).message}); name a node of the model (see its model.json) and its input size`,
    );
  } finally {
    graph.dispose();
  }
  const layer = new GraphModelLayer({ outputDim, name: options.name });
  layer.attach(artifacts, options);
  return layer;
}

function poolFeatures(output: tf.Tensor, pooling: FeaturePooling): tf.Tensor2D {
  if (output.rank === 4 && pooling === "avg") return output.mean([1, 2]) as tf.Tensor2D;
  if (output.rank === 4 && pooling === "max") return output.max([1, 2]) as tf.Tensor2D;
  return output.reshape([output.shape[0], -1]) as tf.Tensor2D;
}
