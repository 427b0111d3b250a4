import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/errors.ts";
import { BIAS_L2, fitLogisticRegression, logisticProbabilities } from "../../src/ensemble/fit_logistic_regression.ts";
import { choleskySolve } from "../../src/ensemble/_cholesky_solve.ts";

/** The objective written out independently: mean cross-entropy + l2/2 |W|^2 + BIAS_L2/2 |b|^2. */
function objective(weights: number[][], bias: number[], x: number[][], y: number[], l2: number): number {
  let sum = 0;
  x.forEach((row, i) => {
    const z = weights.map((w, c) => w.reduce((s, v, j) => s + v * row[j], bias[c]));
    const top = Math.max(...z);
    sum += Math.log(z.reduce((s, v) => s + Math.exp(v - top), 0)) + top - z[y[i]];
  });
  const penalty = weights.flat().reduce((s, v) => s + v * v, 0) * l2 / 2 + bias.reduce((s, v) => s + v * v, 0) * BIAS_L2 / 2;
  return sum / x.length + penalty;
}

describe("fitLogisticRegression", () => {
  it("predicts each group's class frequency for one binary feature, nearly unregularised", () => {
    // x = 0: labels 0, 0, 1 (1/3 of class 1); x = 1: labels 1, 1, 0, 1 (3/4 of class 1).
    const x = [[0], [0], [0], [1], [1], [1], [1]];
    const model = fitLogisticRegression(x, [0, 0, 1, 1, 1, 0, 1], { numClasses: 2, l2: 1e-9 });
    const [zero, one] = logisticProbabilities(model, [[0], [1]]);
    expect(zero[1]).toBeCloseTo(1 / 3, 5);
    expect(one[1]).toBeCloseTo(3 / 4, 5);
  });

  it("gives the class frequencies when the features carry no information", () => {
    const model = fitLogisticRegression([[1], [1], [1], [1], [1]], [0, 1, 1, 2, 2], { numClasses: 3, l2: 1e3 });
    const [row] = logisticProbabilities(model, [[1]]);
    expect(row.map((p) => +p.toFixed(4))).toEqual([0.2, 0.4, 0.4]);
  });

  it("stops at the minimum of the penalised objective (no small move of a parameter lowers it)", () => {
    const x = [[0.9, 0.1, 0.7], [0.2, 0.8, 0.4], [0.6, 0.4, 0.1], [0.1, 0.9, 0.8], [0.5, 0.5, 0.5], [0.7, 0.3, 0.2]];
    const y = [0, 1, 2, 1, 2, 0];
    const model = fitLogisticRegression(x, y, { numClasses: 3, l2: 0.01 });
    const best = objective(model.weights, model.bias, x, y, 0.01);
    expect(model.objective).toBeCloseTo(best, 12);
    for (const delta of [1e-3, -1e-3]) {
      model.weights.forEach((row, c) =>
        row.forEach((_, j) => {
          const moved = model.weights.map((r) => [...r]);
          moved[c][j] += delta;
          expect(objective(moved, model.bias, x, y, 0.01)).toBeGreaterThan(best);
        })
      );
      model.bias.forEach((_, c) => {
        const moved = [...model.bias];
        moved[c] += delta;
        expect(objective(model.weights, moved, x, y, 0.01)).toBeGreaterThanOrEqual(best);
      });
    }
  });

  it("keeps the intercepts finite when a class has no sample", () => {
    const model = fitLogisticRegression([[0.2], [0.8]], [0, 0], { numClasses: 2, l2: 0.1 });
    expect(model.bias.every(Number.isFinite)).toBe(true);
    expect(logisticProbabilities(model, [[0.5]])[0][0]).toBeGreaterThan(0.999);
  });

  it("refuses an L2 coefficient of 0", () => {
    expect(() => fitLogisticRegression([[1]], [0], { numClasses: 2, l2: 0 })).toThrow(ConfigError);
    expect(() => fitLogisticRegression([[1]], [0], { numClasses: 2, l2: 0 })).toThrow("Stacking l2 is 0; it must be above 0");
  });

  it("refuses a label outside the classes", () => {
    expect(() => fitLogisticRegression([[1], [2]], [0, 3], { numClasses: 2 })).toThrow("Label 3 at index 1 is not a class index in [0, 2)");
  });
});

describe("choleskySolve", () => {
  it("solves a hand-computed 2x2 system", () => {
    // [[4, 2], [2, 3]] x = [2, 1] gives x = [0.5, 0].
    const x = choleskySolve(Float64Array.of(4, 2, 2, 3), Float64Array.of(2, 1));
    expect(x[0]).toBeCloseTo(0.5, 12);
    expect(x[1]).toBeCloseTo(0, 12);
  });

  it("refuses a matrix that is not positive definite", () => {
    expect(() => choleskySolve(Float64Array.of(1, 2, 2, 1), Float64Array.of(1, 1))).toThrow("not positive definite");
  });
});
