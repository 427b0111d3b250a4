/**
 * A training checkpoint: everything `fit` needs to go on after a finished
 * epoch as if it had never stopped (the raw weights, the optimizer's slots,
 * the generator, the learning rate, the callbacks' state, the weight
 * average), and its encoding as one file's bytes.
 *
 * The bytes are a small header, one JSON document and the tensors' data in
 * tfjs's weight format (tf.io.encodeWeights), so one atomic file write
 * replaces a checkpoint whole.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { CallbackState, EpochLogs } from "./callback.ts";

/** A tensor with a name, as tf.Optimizer.getWeights gives them. */
export type NamedTensor = { name: string; tensor: tf.Tensor };

/** The training state after `epochsDone` finished epochs. Tensors belong to whoever made the state. */
export interface FitState {
  /** Epochs finished; the resumed training starts with this 0-based epoch. */
  epochsDone: number;
  /** Logs of the finished epochs. */
  history: EpochLogs[];
  /** The generator's state after the last finished epoch (shuffles, augmentation, mixing). */
  rng: { state: number };
  /** The optimizer's learning rate after the last epoch's callbacks. */
  learningRate: number;
  /** The training weights (model.getWeights() order); with a weight average, the raw weights, not the average. */
  weights: tf.Tensor[];
  /** The optimizer's own weights (its step count and slots, as tf.Optimizer.getWeights gives them). */
  optimizer: NamedTensor[];
  /** The weight average's steps and values; null when training keeps none. */
  average: { steps: number; weights: tf.Tensor[] } | null;
  /** Each stateful callback's state, by its checkpointKey. */
  callbacks: Record<string, CallbackState>;
}

const MAGIC = "FERFIT01";
const FORMAT = 1;

/** The JSON part of the file. */
interface Header {
  format: number;
  epochsDone: number;
  history: EpochLogs[];
  rng: { state: number };
  learningRate: number;
  weightCount: number;
  optimizerNames: string[];
  average: { steps: number; count: number } | null;
  callbacks: Record<string, { values: Record<string, number>; count: number }>;
  /** The caller's own facts (src/experiment adds the dropout layers' step counts and the config's hash). */
  extra: Record<string, unknown>;
  specs: tf.io.WeightsManifestEntry[];
}

/**
 * Encodes a state and the caller's extra facts as one file's bytes.
 *
 * @param state The state (its tensors are read, not disposed).
 * @param extra JSON-safe facts stored beside it.
 * @returns The bytes.
 * @example
 * ```ts
 * const bytes = await encodeFitState(state, { configHash: "ab12" });
 * const again = decodeFitState(bytes, "checkpoint.bin");
 * ```
 */
export async function encodeFitState(state: FitState, extra: Record<string, unknown> = {}): Promise<Uint8Array> {
  const named: NamedTensor[] = [
    ...state.weights.map((tensor, i) => ({ name: `weights/${i}`, tensor })),
    ...state.optimizer.map((w, i) => ({ name: `optimizer/${i}`, tensor: w.tensor })),
    ...(state.average?.weights ?? []).map((tensor, i) => ({ name: `average/${i}`, tensor })),
  ];
  const callbacks: Header["callbacks"] = {};
  for (const [key, value] of Object.entries(state.callbacks)) {
    const tensors = value.tensors ?? [];
    callbacks[key] = { values: value.values, count: tensors.length };
    named.push(...tensors.map((tensor, i) => ({ name: `callbacks/${key}/${i}`, tensor })));
  }
  const { data, specs } = await tf.io.encodeWeights(named);
  const header: Header = {
    format: FORMAT,
    epochsDone: state.epochsDone,
    history: state.history,
    rng: state.rng,
    learningRate: state.learningRate,
    weightCount: state.weights.length,
    optimizerNames: state.optimizer.map((w) => w.name),
    average: state.average && { steps: state.average.steps, count: state.average.weights.length },
    callbacks,
    extra,
    specs,
  };
  const json = new TextEncoder().encode(JSON.stringify(header, (_key, value) => nonFiniteToText(value)));
  const bytes = new Uint8Array(MAGIC.length + 4 + json.length + data.byteLength);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(bytes.buffer).setUint32(MAGIC.length, json.length, true);
  bytes.set(json, MAGIC.length + 4);
  bytes.set(new Uint8Array(data), MAGIC.length + 4 + json.length);
  return bytes;
}

/**
 * Reads what a checkpoint says without making its tensors (which need a
 * started backend): the epochs done and the caller's extra facts, with the
 * same checks as {@linkcode decodeFitState}.
 *
 * @param bytes The file's bytes.
 * @param source The file's path, for the error.
 * @returns The epochs finished and the extra facts.
 * @throws {Error} Naming `source` when the bytes are not a checkpoint of this format or are cut short.
 * @example
 * ```ts
 * const { epochsDone, extra } = readFitStateFacts(bytes, "checkpoint.bin");
 * ```
 */
export function readFitStateFacts(bytes: Uint8Array, source: string): { epochsDone: number; extra: Record<string, unknown> } {
  const { header } = parseCheckpoint(bytes, source);
  return { epochsDone: header.epochsDone, extra: header.extra };
}

/**
 * Decodes bytes written by {@linkcode encodeFitState}. The tensors are new
 * (on the active backend, which must be started): dispose them with
 * {@linkcode disposeFitState}.
 *
 * @param bytes The file's bytes.
 * @param source The file's path, for the error.
 * @returns The state and the extra facts.
 * @throws {Error} Naming `source` when the bytes are not a checkpoint of this format or are cut short.
 * @example
 * ```ts
 * const { state, extra } = decodeFitState(await readFile(path), path);
 * disposeFitState(state);
 * ```
 */
export function decodeFitState(bytes: Uint8Array, source: string): { state: FitState; extra: Record<string, unknown> } {
  const { header, data } = parseCheckpoint(bytes, source);
  const tensors = tf.io.decodeWeights(data, header.specs);
  const take = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => tensors[`${prefix}/${i}`]);
  const callbacks: Record<string, CallbackState> = {};
  for (const [key, value] of Object.entries(header.callbacks)) {
    callbacks[key] = { values: value.values, tensors: take(`callbacks/${key}`, value.count) };
  }
  return {
    state: {
      epochsDone: header.epochsDone,
      history: header.history,
      rng: header.rng,
      learningRate: header.learningRate,
      weights: take("weights", header.weightCount),
      optimizer: take("optimizer", header.optimizerNames.length).map((tensor, i) => ({ name: header.optimizerNames[i], tensor })),
      average: header.average && { steps: header.average.steps, weights: take("average", header.average.count) },
      callbacks,
    },
    extra: header.extra,
  };
}

/** The header and the tensors' bytes of a checkpoint, checked. */
function parseCheckpoint(bytes: Uint8Array, source: string): { header: Header; data: ArrayBuffer } {
  const damaged = (why: string) => new Error(`${source} is not a usable training checkpoint: ${why}`);
  if (bytes.length < MAGIC.length + 4 || new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) !== MAGIC) {
    throw damaged("it does not start with the checkpoint header");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const jsonLength = view.getUint32(MAGIC.length, true);
  const dataStart = MAGIC.length + 4 + jsonLength;
  if (dataStart > bytes.length) throw damaged(`it is cut short (${bytes.length} bytes)`);
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(MAGIC.length + 4, dataStart)), (_key, value) => textToNonFinite(value));
  } catch (error) {
    throw damaged(`its header is not valid JSON (${(error as Error).message})`);
  }
  if (header.format !== FORMAT) throw damaged(`format ${header.format}, where this version reads format ${FORMAT}`);
  const expected = header.specs.reduce((sum, spec) => sum + spec.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (bytes.length - dataStart !== expected) throw damaged(`its tensors hold ${bytes.length - dataStart} bytes where ${expected} are described`);
  return { header, data: bytes.slice(dataStart).buffer };
}

/**
 * Disposes every tensor of a decoded state.
 *
 * @param state A state from {@linkcode decodeFitState}.
 */
export function disposeFitState(state: FitState): void {
  tf.dispose([
    ...state.weights,
    ...state.optimizer.map((w) => w.tensor),
    ...(state.average?.weights ?? []),
    ...Object.values(state.callbacks).flatMap((c) => c.tensors ?? []),
  ]);
}

// JSON has no Infinity or NaN; a tracker's best starts at +-Infinity and a loss can be NaN.
function nonFiniteToText(value: unknown): unknown {
  return typeof value === "number" && !Number.isFinite(value) ? { nonFinite: String(value) } : value;
}

function textToNonFinite(value: unknown): unknown {
  if (value !== null && typeof value === "object" && "nonFinite" in value && Object.keys(value).length === 1) {
    return Number((value as { nonFinite: string }).nonFinite);
  }
  return value;
}
