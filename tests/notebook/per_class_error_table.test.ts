import { describe, expect, it } from "vitest";
import { evaluatePredictions } from "../../src/eval/evaluate_predictions.ts";
import { makeRng } from "../../src/core/seed.ts";
import { perClassErrorTable } from "../../src/notebook/per_class_error_table.ts";

// true happy x4: predicted happy, happy, sad, neutral; true sad x3: sad, happy, happy; true neutral x1: neutral.
const oneHot = (label: number) => [0, 1, 2].map((c) => (c === label ? 1 : 0));
const predicted = [0, 0, 1, 2, 1, 0, 0, 2];
const truth = [0, 0, 0, 0, 1, 1, 1, 2];
const metrics = evaluatePredictions(predicted.map(oneHot), truth, { labels: ["happy", "sad", "neutral"], rng: makeRng(0) }, {
  resamples: 10,
});

describe("perClassErrorTable", () => {
  it("counts errors per true class and names the class they were most often taken for", () => {
    const table = perClassErrorTable(metrics, ["happy", "sad", "neutral"]);
    expect(table.cells.map((row) => [row[0], row[1], row[5], row[6], row[7]])).toEqual([
      ["happy", 4, 2, "sad", "50 %"],
      ["sad", 3, 2, "happy", "100 %"],
      ["neutral", 1, 0, "", ""],
    ]);
  });

  it("takes precision, recall and F1 from the metrics", () => {
    const [happy] = perClassErrorTable(metrics, ["happy", "sad", "neutral"]).cells;
    // happy: 2 of 4 found (recall 0.5); predicted happy 4 times, 2 right (precision 0.5)
    expect(happy.slice(2, 5)).toEqual([0.5, 0.5, 0.5]);
  });

  it("breaks a tie between confusions towards the class listed first", () => {
    // happy errors: one sad, one neutral
    expect(perClassErrorTable(metrics, ["happy", "sad", "neutral"]).cells[0][6]).toBe("sad");
  });

  it("uses the caption given", () => {
    expect(perClassErrorTable(metrics, ["happy", "sad", "neutral"], { caption: "test split" }).caption).toBe("test split");
  });
});
