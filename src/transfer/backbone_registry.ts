/**
 * The pretrained backbones the workbench knows by name: where their files
 * are, what input they expect, which node gives features, and whether they
 * carry an emotion classifier. No tensors here: config validation reads it.
 *
 * @module
 */
import type { FeaturePooling } from "./graph_model_layer.ts";
import type { ChannelNormalization, NormalizationName } from "./normalization.ts";
import { FACE_EXPRESSION_LABELS } from "./face_expression_layers.ts";

/** Every backbone known by name, in the order messages list them. */
export const BACKBONE_NAMES = ["face_api_expression", "face_api_recognition", "human_emotion", "human_mobilefacenet"] as const;

/** One of {@linkcode BACKBONE_NAMES}. */
export type BackboneName = typeof BACKBONE_NAMES[number];

/** Where human-models' files go, relative to the project root (git-ignored). */
export const HUMAN_MODELS_DIR = ".cache/models/human-models";

/** The command that fetches human-models' files. */
export const FETCH_HUMAN_MODELS = "deno run -A src/transfer/fetch_human_models.ts";

/** What the registry knows about one backbone. */
export interface BackboneInfo {
  /** One line for listings. */
  description: string;
  /** "layers": rebuilt as tfjs layers (can be fine-tuned); "graph": a frozen tfjs GraphModel. */
  kind: "layers" | "graph";
  /** Side of the square input in pixels. */
  inputSize: number;
  /** Input channels. */
  channels: 1 | 3;
  /** How input pixels are scaled. */
  normalization: NormalizationName;
  /** The model file: a face-api weights-manifest name, or a model.json relative to the project root. */
  file: string;
  /** The command that installs the file. */
  install: string;
  /** The graph node that gives features (graph backbones). */
  featureNode: string | null;
  /** How a 4-D feature node is pooled (graph backbones). */
  pooling: FeaturePooling;
  /** The graph node of the classifier's probabilities (graph backbones with a classifier). */
  classifierNode: string | null;
  /** Labels of the packaged classifier's outputs, in order; null when it has none. */
  classifierLabels: readonly string[] | null;
}

/** A backbone given by the user: any tfjs model by path or URL. */
export interface CustomBackboneConfig {
  /** model.json: a path (relative to the project), a file:// URL, or an http(s):// URL (fetched only then). */
  url: string;
  /** The layer (layers models) or node (graph models) whose output is the feature vector. */
  featureNode: string;
  /** Side of the square input in pixels. */
  inputSize: number;
  /** Input channels. */
  channels: 1 | 3;
  /** How input pixels are scaled: a name or `{ mean, std }` per channel on 0..255 pixels. */
  normalization: NormalizationName | ChannelNormalization;
  /** How a 4-D feature output becomes a vector. */
  pooling: FeaturePooling;
}

const FACE_API = { kind: "layers", channels: 3, normalization: "face_api", install: "npm ci", featureNode: null, pooling: "avg" } as const;
const HUMAN_EMOTION_LABELS = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"] as const;

/** The registry. */
export const BACKBONES: Readonly<Record<BackboneName, BackboneInfo>> = Object.freeze({
  face_api_expression: {
    ...FACE_API,
    description: "face-api face expression net (depthwise-separable dense blocks), 112x112 RGB, 256-d pooled features, 7-emotion classifier",
    inputSize: 112,
    file: "face_expression_model",
    classifierNode: null,
    classifierLabels: FACE_EXPRESSION_LABELS,
  },
  face_api_recognition: {
    ...FACE_API,
    description: "face-api face recognition ResNet-34-like net (dlib), 150x150 RGB, 128-d identity descriptor",
    inputSize: 150,
    file: "face_recognition_model",
    classifierNode: null,
    classifierLabels: null,
  },
  human_emotion: {
    description: "human-models emotion mini-Xception (oarriaga, FER-2013), 64x64 gray in [-1, 1], 256-d pooled last block, 7-emotion classifier",
    kind: "graph",
    inputSize: 64,
    channels: 1,
    normalization: "minus_one_to_one",
    file: `${HUMAN_MODELS_DIR}/emotion.json`,
    install: FETCH_HUMAN_MODELS,
    featureNode: "StatefulPartitionedCall/model_1/add_2/add",
    pooling: "avg",
    classifierNode: "Identity",
    classifierLabels: HUMAN_EMOTION_LABELS,
  },
  human_mobilefacenet: {
    // Raw pixels: fed [0, 1] (as human-models' own code does) its embedding barely changes
    // between faces and every head collapsed to one class; on 0..255 it varies with the face.
    description: "human-models MobileFaceNet face embedding, 112x112 RGB as raw 0..255 pixels, 192-d L2-normalised embedding",
    kind: "graph",
    inputSize: 112,
    channels: 3,
    normalization: "raw",
    file: `${HUMAN_MODELS_DIR}/mobilefacenet.json`,
    install: FETCH_HUMAN_MODELS,
    featureNode: "embeddings",
    pooling: "flatten",
    classifierNode: null,
    classifierLabels: null,
  },
});
