import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/errors.ts";
import { memberDiversity } from "../../src/ensemble/member_diversity.ts";
import { diversityTable } from "../../src/ensemble/diversity_table.ts";
import { diversityFigure } from "../../src/viz/diversity_figure.ts";

const rows = (predicted: number[]) => predicted.map((c) => (c === 0 ? [0.9, 0.1] : [0.2, 0.8]));
// Labels 0,1,1,1. A predicts 0,1,1,0 (wrong on image 3); B predicts 0,1,0,1 (wrong on image 2).
const labels = [0, 1, 1, 1];
const a = rows([0, 1, 1, 0]), b = rows([0, 1, 0, 1]), perfect = rows([0, 1, 1, 1]);

describe("memberDiversity", () => {
  it("measures disagreement and error correlation of a hand-computed pair", () => {
    const d = memberDiversity([a, b], labels, { names: ["A", "B"] });
    expect(d.accuracy).toEqual([0.75, 0.75]);
    expect(d.disagreement).toEqual([[0, 0.5], [0.5, 0]]);
    // Error indicators 0,0,0,1 and 0,0,1,0: covariance -1/16, variances 3/16, correlation -1/3.
    expect(d.errorCorrelation[0][1]).toBeCloseTo(-1 / 3, 12);
    expect(d.errorCorrelation[0][0]).toBeCloseTo(1, 12);
  });

  it("gives no error correlation for a member that is never wrong", () => {
    const d = memberDiversity([a, perfect], labels);
    expect(d.errorCorrelation[0][1]).toBeNull();
    expect(d.members).toEqual(["member 0", "member 1"]);
  });

  it("refuses names that do not match the members", () => {
    expect(() => memberDiversity([a, b], labels, { names: ["A"] })).toThrow(ConfigError);
  });
});

describe("diversityFigure and diversityTable", () => {
  const d = memberDiversity([a, b, perfect], labels, { names: ["A", "B", "C"] });

  it("draws disagreement and error correlation as two labelled heatmaps", () => {
    const figure = diversityFigure(d, { title: "vote", synthetic: true });
    expect(figure.data.map((t) => t.type)).toEqual(["heatmap", "heatmap"]);
    expect(figure.data[0].z).toEqual(d.disagreement);
    expect(figure.data[1].zmin).toBe(-1);
    expect((figure.data[1].text as string[][])[0][2]).toBe("n/a");
    expect((figure.layout.title as { text: string }).text).toBe("vote: member diversity on 4 validation images (SYNTHETIC data)");
  });

  it("lists each pair of members once", () => {
    const table = diversityTable(d);
    expect(table.cells.map((row) => `${row[0]}-${row[1]}`)).toEqual(["A-B", "A-C", "B-C"]);
    expect(table.cells[0].slice(2)).toEqual(["0.750", "0.750", "0.500", "-0.333"]);
  });
});
