import { describe, expect, it } from "vitest";
import { makeRng } from "../../src/core/seed.ts";
import { ConfigError } from "../../src/core/errors.ts";
import { applyCombiner } from "../../src/ensemble/apply_combiner.ts";
import { fitCombiner } from "../../src/ensemble/fit_combiner.ts";
import { fitLogLinearPool, type LogLinearPool, logLinearPool } from "../../src/ensemble/log_linear_pool.ts";

const pool = (weights: number[], bias: number[]): LogLinearPool => ({ weights, bias, l2: 1e-3, logLoss: 0, iterations: 0 });

/** The objective fitLogLinearPool documents, written out independently: mean log-loss + l2/2 |w|² + 1e-6/2 |b|². */
function objective(members: number[][][], labels: number[], weights: number[], bias: number[], l2: number): number {
  let sum = 0;
  labels.forEach((y, i) => {
    const z = bias.map((b, c) => b + weights.reduce((s, w, m) => s + w * Math.log(Math.max(members[m][i][c], 1e-6)), 0));
    const logTotal = Math.log(z.reduce((s, v) => s + Math.exp(v), 0));
    sum += logTotal - z[y];
  });
  return sum / labels.length + (l2 / 2) * weights.reduce((s, w) => s + w * w, 0) + (1e-6 / 2) * bias.reduce((s, b) => s + b * b, 0);
}

/**
 * Labels drawn from known probabilities `softmax(s)` (random scores `s`), and
 * two members that report the same scores at temperatures 3 (overconfident:
 * `softmax(3s)`) and 0.5 (underconfident: `softmax(s / 2)`).
 */
function sample(n: number, classes: number, seed: number) {
  const rng = makeRng(seed);
  const soft = (scores: number[], t: number) => {
    const e = scores.map((v) => Math.exp(v * t));
    const total = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / total);
  };
  const labels: number[] = [], sharp: number[][] = [], blunt: number[][] = [];
  for (let i = 0; i < n; i++) {
    const scores = Array.from({ length: classes }, () => rng.next() * 4);
    const truth = soft(scores, 1);
    let u = rng.next(), y = 0;
    while (y < classes - 1 && u >= truth[y]) u -= truth[y++];
    labels.push(y);
    sharp.push(soft(scores, 3));
    blunt.push(soft(scores, 0.5));
  }
  return { labels, members: [sharp, blunt] };
}

describe("logLinearPool", () => {
  it("is the normalised geometric mean with weights of 1/2 and no bias", () => {
    const [row] = logLinearPool(pool([0.5, 0.5], [0, 0]), [[[0.9, 0.1]], [[0.4, 0.6]]]);
    const g0 = Math.sqrt(0.9 * 0.4), g1 = Math.sqrt(0.1 * 0.6);
    expect(row[0]).toBeCloseTo(g0 / (g0 + g1), 12);
    expect(row[0] + row[1]).toBeCloseTo(1, 12);
  });

  it("treats a weight as an exponent and a bias as a log-prior", () => {
    // One member: p^2 renormalised, then the bias log 3 on class 1 triples its odds.
    const [row] = logLinearPool(pool([2], [0, Math.log(3)]), [[[0.75, 0.25]]]);
    const odds = (0.25 ** 2 * 3) / 0.75 ** 2;
    expect(row[1] / row[0]).toBeCloseTo(odds, 12);
  });

  it("floors a zero probability at 1e-6 instead of taking log 0", () => {
    const [row] = logLinearPool(pool([1], [0, 0]), [[[1, 0]]]);
    expect(row[1]).toBeCloseTo(1e-6 / (1 + 1e-6), 15);
  });

  it("refuses members or classes other than those it was fitted for, saying to refit", () => {
    expect(() => logLinearPool(pool([0.5, 0.5], [0, 0]), [[[0.5, 0.5]]])).toThrow(/fitted for 2 members of 2 classes; it was given 1 of 2: refit/);
    expect(() => logLinearPool(pool([1], [0, 0, 0]), [[[0.5, 0.5]]])).toThrow(ConfigError);
  });
});

describe("fitLogLinearPool", () => {
  it("reaches the minimum of its objective: no small step in any parameter lowers it", () => {
    const { members, labels } = sample(300, 3, 7);
    const fit = fitLogLinearPool(members, labels, { l2: 1e-3 });
    const base = objective(members, labels, fit.weights, fit.bias, 1e-3);
    expect(fit.logLoss).toBeCloseTo(base - (1e-3 / 2) * fit.weights.reduce((s, w) => s + w * w, 0) - (1e-6 / 2) * fit.bias.reduce((s, b) => s + b * b, 0), 10);
    const h = 1e-4;
    for (let k = 0; k < fit.weights.length + fit.bias.length; k++) {
      for (const sign of [1, -1]) {
        const w = [...fit.weights], b = [...fit.bias];
        if (k < w.length) w[k] += sign * h;
        else b[k - w.length] += sign * h;
        expect(objective(members, labels, w, b, 1e-3)).toBeGreaterThanOrEqual(base - 1e-12);
      }
    }
    expect(fit.iterations).toBeGreaterThan(0);
  });

  it("undoes a member's temperature: an overconfident member is weighted down, an underconfident one up", () => {
    // The labels follow softmax(s); the members report softmax(3s) and softmax(s / 2): the right weights are 1/3 and 2.
    const { members, labels } = sample(4000, 3, 11);
    const sharp = fitLogLinearPool([members[0]], labels).weights[0];
    const blunt = fitLogLinearPool([members[1]], labels).weights[0];
    expect(sharp).toBeGreaterThan(0.25);
    expect(sharp).toBeLessThan(0.42);
    expect(blunt).toBeGreaterThan(1.5);
    expect(blunt).toBeLessThan(2.5);
    // The same scores either way: rescaled by their temperatures the two fits agree (up to the small L2).
    expect(sharp * 3).toBeCloseTo(blunt * 0.5, 1);
  });

  it("learns the class frequencies in its biases when the members say nothing", () => {
    const flat = [[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]];
    const fit = fitLogLinearPool([flat], [0, 1, 1]);
    const [row] = logLinearPool(fit, [[[0.5, 0.5]]]);
    expect(row[0]).toBeCloseTo(1 / 3, 4);
  });

  it("is deterministic", () => {
    const { members, labels } = sample(100, 4, 3);
    expect(fitLogLinearPool(members, labels)).toEqual(fitLogLinearPool(members, labels));
  });

  it("rejects labels that do not match the rows, labels out of range and an l2 that is not above 0", () => {
    const rows = [[0.5, 0.5], [0.2, 0.8]];
    expect(() => fitLogLinearPool([rows], [0])).toThrow(/2 probability rows/);
    expect(() => fitLogLinearPool([rows], [0, 2])).toThrow(/not a class index in \[0, 2\)/);
    expect(() => fitLogLinearPool([rows], [0, 1], { l2: 0 })).toThrow(/must be above 0 \(fitting.l2\)/);
  });
});

describe("fitCombiner with log_linear_pool", () => {
  it("scores each validation row with a pool fitted on the other folds, and refits the final pool on all of validation", () => {
    const { members, labels } = sample(60, 3, 5);
    const fit = fitCombiner("log_linear_pool", { members, labels }, { folds: 3, l2: 1e-3, features: "log_probabilities", rng: makeRng(2) });
    expect(fit.validationMode).toBe("out_of_fold");
    const all = fitLogLinearPool(members, labels, { l2: 1e-3 });
    expect(fit.model).toEqual({ kind: "log_linear_pool", ...all });
    for (let f = 0; f < 3; f++) {
      const held = fit.folds!.flatMap((fold, i) => (fold === f ? [i] : []));
      const kept = fit.folds!.flatMap((fold, i) => (fold === f ? [] : [i]));
      const partial = fitLogLinearPool(members.map((m) => kept.map((i) => m[i])), kept.map((i) => labels[i]), { l2: 1e-3 });
      const rows = logLinearPool(partial, members.map((m) => held.map((i) => m[i])));
      held.forEach((index, k) => expect(fit.validation[index]).toEqual(rows[k]));
    }
    // What model/ensemble.json stores applies as it was fitted.
    expect(applyCombiner(JSON.parse(JSON.stringify(fit.model)), members)).toEqual(logLinearPool(all, members));
  });
});
