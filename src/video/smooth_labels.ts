/**
 * Temporal smoothing of one track's per-frame class probabilities into a
 * steadier label sequence, and the flicker measure that compares smoothers.
 *
 * The smoothers, by name:
 * - `none`: the arg-max of each frame;
 * - `ema`: arg-max of an exponential moving average of the probabilities
 *   (causal; half-life `halfLifeS` seconds);
 * - `majority`: the most frequent raw label in a centred window of `windowS`
 *   seconds (ties go to the higher mean probability);
 * - `hmm`: Viterbi decoding of a hidden Markov model whose emissions are the
 *   frame log-probabilities and whose every label change costs
 *   `switchPenalty` (natural log units): the label changes only when the
 *   evidence for the new one over the following frames outweighs the penalty.
 *
 * Pure functions on plain arrays.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";

/** The smoother names, in documentation order. */
export const SMOOTHERS = ["none", "ema", "majority", "hmm"] as const;
/** A smoother name. */
export type SmootherName = (typeof SMOOTHERS)[number];
/** The default smoother (chosen by the flicker measurement in the README). */
export const DEFAULT_SMOOTHER: SmootherName = "hmm";

/** Options of {@linkcode smoothLabels}. */
export interface SmoothOptions {
  /** Frames per second of the sequence. @default 30 */
  fps?: number;
  /** `ema`: half-life of the average in seconds. @default 0.25 */
  halfLifeS?: number;
  /** `majority`: window length in seconds. @default 0.5 */
  windowS?: number;
  /** `hmm`: cost of one label change, in nats (log-probability units). @default 4 */
  switchPenalty?: number;
}

/**
 * Checks a smoother name.
 *
 * @param name A name from the command line or a notebook.
 * @returns The name, typed.
 * @throws {ConfigError} Naming the known smoothers.
 * @example
 * ```ts
 * console.assert(parseSmoother("hmm") === "hmm");
 * ```
 */
export function parseSmoother(name: string): SmootherName {
  if (!(SMOOTHERS as readonly string[]).includes(name)) {
    throw new ConfigError(`Unknown smoother "${name}"; known: ${SMOOTHERS.join(", ")} (default ${DEFAULT_SMOOTHER})`);
  }
  return name as SmootherName;
}

/**
 * The smoothed label index of every frame of one track.
 *
 * @param probabilities One probability row per frame (same class count each).
 * @param smoother See the module doc.
 * @param options Frame rate and the smoother's parameter.
 * @returns One class index per frame.
 * @example
 * ```ts
 * const rows = [[0.9, 0.1], [0.4, 0.6], [0.9, 0.1], [0.9, 0.1]];
 * console.assert(smoothLabels(rows, "none").join() === "0,1,0,0");
 * console.assert(smoothLabels(rows, "hmm").join() === "0,0,0,0");
 * ```
 */
export function smoothLabels(probabilities: readonly (readonly number[])[], smoother: SmootherName, options: SmoothOptions = {}): number[] {
  const { fps = 30, halfLifeS = 0.25, windowS = 0.5, switchPenalty = 4 } = options;
  if (probabilities.length === 0) return [];
  switch (parseSmoother(smoother)) {
    case "none":
      return probabilities.map(argMax);
    case "ema": {
      const alpha = 1 - Math.pow(0.5, 1 / Math.max(halfLifeS * fps, 1e-9));
      let average = [...probabilities[0]];
      return probabilities.map((row, i) => {
        if (i > 0) average = average.map((value, c) => value + alpha * (row[c] - value));
        return argMax(average);
      });
    }
    case "majority": {
      const raw = probabilities.map(argMax);
      const half = Math.max(0, Math.floor((windowS * fps) / 2));
      return raw.map((_, i) => {
        const from = Math.max(0, i - half);
        const to = Math.min(raw.length, i + half + 1);
        const votes = new Array(probabilities[0].length).fill(0);
        const mass = new Array(probabilities[0].length).fill(0);
        for (let j = from; j < to; j++) {
          votes[raw[j]]++;
          probabilities[j].forEach((p, c) => (mass[c] += p));
        }
        return votes.reduce((best, count, c) => (count > votes[best] || (count === votes[best] && mass[c] > mass[best]) ? c : best), 0);
      });
    }
    case "hmm":
      return viterbi(probabilities, switchPenalty);
  }
}

/** What {@linkcode flickerStats} measures. */
export interface FlickerStats {
  /** Label changes between consecutive frames. */
  switches: number;
  /** Changes per minute of the sequence. */
  switchesPerMinute: number;
  /** Share of frames whose label equals the reference labels' (1 when none given). */
  agreement: number;
}

/**
 * Flicker of a label sequence (ImageNet-P's flip rate, per minute) and its
 * agreement with a reference (the raw arg-max labels).
 *
 * @param labels One label per frame.
 * @param options `fps` of the sequence and the `reference` labels.
 * @returns Switch count, switches per minute and agreement.
 * @example
 * ```ts
 * const stats = flickerStats([0, 1, 0, 0], { fps: 2, reference: [0, 1, 0, 0] });
 * console.assert(stats.switches === 2 && stats.switchesPerMinute === 60 && stats.agreement === 1);
 * ```
 */
export function flickerStats(labels: readonly number[], options: { fps: number; reference?: readonly number[] }): FlickerStats {
  let switches = 0;
  for (let i = 1; i < labels.length; i++) if (labels[i] !== labels[i - 1]) switches++;
  const minutes = labels.length / options.fps / 60;
  const reference = options.reference;
  const same = reference ? labels.filter((label, i) => label === reference[i]).length : labels.length;
  return {
    switches,
    switchesPerMinute: minutes > 0 ? switches / minutes : 0,
    agreement: labels.length > 0 ? same / labels.length : 1,
  };
}

function argMax(row: readonly number[]): number {
  let best = 0;
  for (let c = 1; c < row.length; c++) if (row[c] > row[best]) best = c;
  return best;
}

function viterbi(probabilities: readonly (readonly number[])[], switchPenalty: number): number[] {
  const emission = (row: readonly number[]) => row.map((p) => Math.log(Math.max(p, 1e-9)));
  let score = emission(probabilities[0]);
  const back: number[][] = [];
  for (let t = 1; t < probabilities.length; t++) {
    const bestPrevious = argMax(score);
    const pointers: number[] = [];
    const next = emission(probabilities[t]).map((logP, c) => {
      const stay = score[c];
      const move = score[bestPrevious] - switchPenalty;
      if (stay >= move) {
        pointers.push(c);
        return stay + logP;
      }
      pointers.push(bestPrevious);
      return move + logP;
    });
    back.push(pointers);
    score = next;
  }
  const labels = new Array(probabilities.length);
  labels[probabilities.length - 1] = argMax(score);
  for (let t = probabilities.length - 1; t > 0; t--) labels[t - 1] = back[t - 1][labels[t]];
  return labels;
}
