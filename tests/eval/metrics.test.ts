import { describe, expect, it } from "vitest";
import {
  argMax,
  bootstrapInterval,
  classificationMetrics,
  confusionMatrix,
  evaluatePredictions,
  expectedCalibrationError,
  macroF1,
  normalizeRows,
  wilsonInterval,
} from "../../src/eval/mod.ts";
import { makeRng } from "../../src/core/seed.ts";

describe("confusionMatrix", () => {
  it("counts (true, predicted) pairs", () => {
    expect(confusionMatrix([0, 0, 1, 2, 2], [0, 1, 1, 2, 0], 3)).toEqual([[1, 1, 0], [0, 1, 0], [1, 0, 1]]);
  });
  it("rejects labels outside the class range", () => {
    expect(() => confusionMatrix([3], [0], 3)).toThrow("outside [0, 3)");
  });
  it("rejects arrays of different lengths", () => {
    expect(() => confusionMatrix([0, 1], [0], 2)).toThrow("yTrue has 2 labels but yPred has 1");
  });
  it("normalises rows to shares and leaves an empty row at zero", () => {
    expect(normalizeRows([[1, 3], [0, 0]])).toEqual([[0.25, 0.75], [0, 0]]);
  });
});

describe("classificationMetrics", () => {
  // Hand-computed: class a: tp 2, predicted 3, support 3 -> p 2/3, r 2/3, f1 2/3.
  // class b: tp 1, predicted 1, support 2 -> p 1, r 0.5, f1 2/3. class c: never true, never predicted.
  const m = classificationMetrics([0, 0, 0, 1, 1], [0, 0, 1, 1, 0], ["a", "b", "c"]);
  it("computes accuracy", () => expect(m.accuracy).toBeCloseTo(3 / 5, 12));
  it("computes per-class precision, recall, F1 and support", () => {
    expect(m.perClass.a.precision).toBeCloseTo(2 / 3, 12);
    expect(m.perClass.a.recall).toBeCloseTo(2 / 3, 12);
    expect(m.perClass.b.precision).toBeCloseTo(1 / 2, 12);
    expect(m.perClass.b.recall).toBeCloseTo(1 / 2, 12);
    expect(m.perClass.b.support).toBe(2);
  });
  it("scores a class with no samples and no predictions as zero", () => {
    expect(m.perClass.c).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
  });
  it("averages F1 over every class for macro-F1", () => {
    expect(m.macroF1).toBeCloseTo((2 / 3 + 1 / 2 + 0) / 3, 12);
    expect(macroF1([0, 0, 0, 1, 1], [0, 0, 1, 1, 0], 3)).toBeCloseTo(m.macroF1, 12);
  });
});

describe("wilsonInterval", () => {
  it("matches the published interval for 107 of 128", () => {
    const ci = wilsonInterval(107, 128);
    expect(ci.value).toBeCloseTo(0.8359, 4);
    expect(ci.low).toBeCloseTo(0.7622, 4);
    expect(ci.high).toBeCloseTo(0.8901, 4);
  });
  it("stays inside [0, 1] at a perfect score", () => {
    const ci = wilsonInterval(10, 10);
    expect(ci.high).toBeCloseTo(1, 12);
    expect(ci.low).toBeGreaterThan(0.6);
  });
});

describe("bootstrapInterval", () => {
  it("is reproducible for the same seed", () => {
    const stat = (idx: number[]) => idx.reduce((s, i) => s + (i % 3), 0) / idx.length;
    expect(bootstrapInterval(50, stat, makeRng(5))).toEqual(bootstrapInterval(50, stat, makeRng(5)));
  });
  it("brackets the statistic and narrows as n grows", () => {
    const make = (n: number) => {
      const values = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : 0));
      return bootstrapInterval(n, (idx) => idx.reduce((s, i) => s + values[i], 0) / idx.length, makeRng(1));
    };
    const small = make(20), large = make(2000);
    expect(small.low).toBeLessThanOrEqual(0.5);
    expect(small.high).toBeGreaterThanOrEqual(0.5);
    expect(large.high - large.low).toBeLessThan(small.high - small.low);
  });
});

describe("expectedCalibrationError", () => {
  it("is zero for confident correct predictions", () => {
    expect(expectedCalibrationError([[1, 0], [0, 1]], [0, 1])).toBe(0);
  });
  it("weights bins by their support", () => {
    // Bin of 0.8 (two samples, one right): |0.5 - 0.8| = 0.3, weight 2/3.
    // Bin of 1.0 (one sample, right): 0, weight 1/3.
    const ece = expectedCalibrationError([[0.8, 0.2], [0.2, 0.8], [1, 0]], [0, 0, 0]);
    expect(ece).toBeCloseTo((2 / 3) * 0.3, 12);
  });
});

describe("evaluatePredictions", () => {
  it("combines the metrics, intervals and normalised confusion", () => {
    const probabilities = [[0.9, 0.1], [0.6, 0.4], [0.3, 0.7], [0.2, 0.8]];
    const m = evaluatePredictions(probabilities, [0, 1, 1, 1], { labels: ["a", "b"], rng: makeRng(0) });
    expect(m.count).toBe(4);
    expect(m.accuracy).toBe(0.75);
    expect(m.confusion).toEqual([[1, 0], [1, 2]]);
    expect(m.confusionNormalized[1]).toEqual([1 / 3, 2 / 3]);
    expect(m.accuracyInterval.method).toBe("wilson");
    expect(m.macroF1Interval.method).toBe("bootstrap");
    expect(m.predictedCounts).toEqual([2, 2]);
    expect(m.collapsedToOneClass).toBe(false);
  });
  it("flags predictions that collapsed to one class", () => {
    const m = evaluatePredictions([[0.6, 0.4], [0.7, 0.3], [0.9, 0.1]], [0, 1, 1], { labels: ["a", "b"], rng: makeRng(0) });
    expect(m.collapsedToOneClass).toBe(true);
  });
  it("breaks arg-max ties toward the lower class index", () => {
    expect(argMax([0.5, 0.5])).toBe(0);
  });
});

describe("evaluatePredictions on the leak-free part", () => {
  const probabilities = [[0.9, 0.1], [0.2, 0.8], [0.7, 0.3], [0.6, 0.4]];
  const yTrue = [0, 1, 1, 0];

  it("scores only the samples not flagged as leaked, and says how many it left out", () => {
    // Sample 2 is the one mistake; leaving it out leaves 3 of 3 right.
    const metrics = evaluatePredictions(probabilities, yTrue, { labels: ["a", "b"], rng: makeRng(0) }, {
      leaked: [false, false, true, false],
    });
    expect(metrics.accuracy).toBe(0.75);
    expect(metrics.leakFree).toMatchObject({ count: 3, excluded: 1, accuracy: 1, macroF1: 1 });
    expect(metrics.leakFree!.accuracyInterval.low).toBeGreaterThan(0.4);
  });

  it("leaves the other figures as they are without flags (leakFree null)", () => {
    const plain = evaluatePredictions(probabilities, yTrue, { labels: ["a", "b"], rng: makeRng(0) });
    const flagged = evaluatePredictions(probabilities, yTrue, { labels: ["a", "b"], rng: makeRng(0) }, { leaked: [true, false, false, false] });
    expect(plain.leakFree).toBeNull();
    expect({ ...flagged, leakFree: null }).toEqual(plain);
    expect(flagged.leakFree).toMatchObject({ count: 3, excluded: 1, accuracy: 2 / 3 });
  });

  it("rejects flags that do not cover every sample", () => {
    expect(() => evaluatePredictions(probabilities, yTrue, { labels: ["a", "b"], rng: makeRng(0) }, { leaked: [true] }))
      .toThrow("one flag per sample");
  });
});
