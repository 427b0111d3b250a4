import { describe, expect, it } from "vitest";
import { robustnessComparisonFigure, robustnessCurvesFigure, robustnessFigures, robustnessHeatmapFigure } from "../../src/viz/robustness_figures.ts";

const report = {
  runId: "run-a",
  split: "validation",
  synthetic: false,
  clean: { accuracy: 0.8 },
  results: [
    { perturbation: "gamma", family: "lighting", severity: 1, accuracy: 0.7 },
    { perturbation: "gamma", family: "lighting", severity: 2, accuracy: 0.6 },
    { perturbation: "jpeg", family: "quality", severity: 1, accuracy: 0.75 },
    { perturbation: "jpeg", family: "quality", severity: 2, accuracy: 0.5 },
  ],
  perPerturbation: [
    { perturbation: "gamma", family: "lighting", accuracyDrop: 0.15 },
    { perturbation: "jpeg", family: "quality", accuracyDrop: 0.175 },
  ],
  perFamily: [{ family: "lighting", meanAccuracy: 0.65 }, { family: "quality", meanAccuracy: 0.625 }],
};

describe("robustness figures", () => {
  it("names the three figures of a report by the file they are saved under", () => {
    expect(Object.keys(robustnessFigures(report))).toEqual(["robustness_heatmap", "robustness_curves", "robustness_drop"]);
  });

  it("puts clean accuracy first in each heatmap row, then one column per severity", () => {
    const [trace] = robustnessHeatmapFigure(report).data as { x: string[]; z: number[][] }[];
    expect(trace.x).toEqual(["clean", "1", "2"]);
    expect(trace.z).toEqual([[0.8, 0.7, 0.6], [0.8, 0.75, 0.5]]);
  });

  it("draws one curve panel per family measured, in the report's family order", () => {
    const figure = robustnessCurvesFigure(report);
    expect((figure.layout.annotations as { text: string }[]).map((a) => a.text)).toEqual(["lighting", "quality"]);
    expect(figure.data.map((t) => t.yaxis)).toEqual(["y", "y2"]);
  });

  it("groups runs' bars by family, leaving a gap where a run lacks one", () => {
    const other = { ...report, runId: "run-b", perFamily: [{ family: "lighting", meanAccuracy: 0.5 }] };
    const figure = robustnessComparisonFigure([report, other], { families: ["lighting", "quality", "pose"] });
    expect(figure.data[0].x).toEqual(["clean", "lighting", "quality", "pose"]);
    expect(figure.data[1].y).toEqual([0.8, 0.5, null, null]);
    expect(robustnessComparisonFigure([report, other]).data[0].x).toEqual(["clean", "lighting", "quality"]);
  });
});
