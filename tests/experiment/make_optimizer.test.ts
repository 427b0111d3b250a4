import { describe, expect, it } from "vitest";
import { makeOptimizer } from "../../src/experiment/make_optimizer.ts";
import { resolveClassWeights } from "../../src/experiment/class_weights.ts";
import { getLearningRate } from "../../src/train/set_learning_rate.ts";

describe("makeOptimizer", () => {
  it("builds each optimizer with the configured learning rate", () => {
    const adam = makeOptimizer({ name: "adam", learningRate: 0.002, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    expect(adam.getClassName()).toBe("Adam");
    expect(getLearningRate(adam)).toBe(0.002);
    const sgd = makeOptimizer({ name: "sgd", learningRate: 0.01, momentum: 0.9, nesterov: true });
    expect(sgd.getClassName()).toBe("Momentum");
    expect(makeOptimizer({ name: "sgd", learningRate: 0.01, momentum: 0, nesterov: false }).getClassName()).toBe("SGD");
    expect(makeOptimizer({ name: "rmsprop", learningRate: 0.01, decay: 0.9, momentum: 0 }).getClassName()).toBe("RMSProp");
  });
});

describe("resolveClassWeights", () => {
  it("balances by inverse class frequency", () => {
    expect(resolveClassWeights("balanced", [0, 0, 0, 1], 2)).toEqual([4 / 6, 2]);
  });
  it("gives a class absent from training weight 0", () => {
    expect(resolveClassWeights("balanced", [0, 0], 2)).toEqual([0.5, 0]);
  });
  it("rejects explicit weights of the wrong length", () => {
    expect(() => resolveClassWeights([1, 2, 3], [0, 1], 2)).toThrow("training.classWeights has 3 entries but there are 2 classes");
  });
  it("returns null for equal weights", () => {
    expect(resolveClassWeights(null, [0, 1], 2)).toBeNull();
  });
});

describe("makeOptimizer with a one-cycle schedule", () => {
  const oneCycle = { name: "one_cycle", warmupFraction: 0.3, initialDivisor: 25, finalDivisor: 1e4, momentum: { low: 0.85, high: 0.95 } } as const;
  it("starts the momentum at the cycle's high value, so Adam's bias correction starts from the beta1 of its first step", () => {
    const adam = makeOptimizer({ name: "adam", learningRate: 0.002, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, oneCycle) as unknown as { beta1: number };
    expect(adam.beta1).toBe(0.95);
    const sgd = makeOptimizer({ name: "sgd", learningRate: 0.01, momentum: 0.9, nesterov: true }, oneCycle) as unknown as { momentum: number };
    expect(sgd.momentum).toBe(0.95);
  });
  it("keeps the optimizer's momentum when the cycle leaves it alone, and gives RMSProp without momentum none", () => {
    const adam = makeOptimizer({ name: "adam", learningRate: 0.002, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, { ...oneCycle, momentum: null });
    expect((adam as unknown as { beta1: number }).beta1).toBe(0.9);
    const rmsprop = makeOptimizer({ name: "rmsprop", learningRate: 0.01, decay: 0.9, momentum: 0 }, oneCycle);
    expect((rmsprop as unknown as { momentum: number }).momentum).toBe(0);
  });
});
