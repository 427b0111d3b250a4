import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/errors.ts";
import type { PredictionRecord } from "../../src/experiment/read_predictions.ts";
import { selectMisclassified } from "../../src/notebook/select_misclassified.ts";

const record = (path: string, trueClass: string, predictedClass: string, p: number, split = "test"): PredictionRecord => ({
  path,
  split,
  trueClass,
  predictedClass,
  probabilities: { [predictedClass]: p },
});

const predictions = [
  record("s1", "sad", "happy", 0.6),
  record("s2", "sad", "happy", 0.9),
  record("s3", "sad", "sad", 0.8),
  record("s4", "sad", "neutral", 0.7),
  record("h1", "happy", "happy", 0.9),
  record("v1", "sad", "happy", 0.99, "validation"),
];

describe("selectMisclassified", () => {
  it("groups the split's mistakes by true class in class order, counting wrong and total", () => {
    const groups = selectMisclassified(predictions, ["happy", "sad", "neutral"]);
    expect(groups.map((g) => [g.trueClass, g.wrong, g.total])).toEqual([["happy", 0, 1], ["sad", 3, 4], ["neutral", 0, 0]]);
  });

  it("puts the mistakes the model was surest about first", () => {
    const sad = selectMisclassified(predictions, ["happy", "sad"])[1];
    expect(sad.examples.map((e) => e.path)).toEqual(["s2", "s4", "s1"]);
  });

  it("breaks ties in confidence by path", () => {
    const tied = [record("b", "sad", "happy", 0.5), record("a", "sad", "happy", 0.5)];
    expect(selectMisclassified(tied, ["sad"])[0].examples.map((e) => e.path)).toEqual(["a", "b"]);
  });

  it("keeps at most perClass examples but counts every mistake", () => {
    const sad = selectMisclassified(predictions, ["sad"], { perClass: 1 })[0];
    expect([sad.examples.length, sad.wrong]).toEqual([1, 3]);
  });

  it("reads only the split asked for", () => {
    const sad = selectMisclassified(predictions, ["sad"], { split: "validation" })[0];
    expect(sad.examples.map((e) => e.path)).toEqual(["v1"]);
  });

  it("rejects a perClass that is not a whole number >= 1", () => {
    expect(() => selectMisclassified(predictions, ["sad"], { perClass: 2.5 })).toThrow(ConfigError);
  });
});
