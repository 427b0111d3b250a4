import { describe, expect, it } from "vitest";
import type { DataReport } from "../../src/data/data_report.ts";
import { dataReportTables } from "../../src/notebook/data_report_tables.ts";

function report(extra: Partial<DataReport> = {}): DataReport {
  return {
    root: "/data",
    synthetic: false,
    classes: ["happy", "sad"],
    splits: ["train", "test"],
    counts: { train: { happy: 6, sad: 4 }, test: { happy: 2, sad: 2 } },
    total: 14,
    settings: { size: 48, hammingThreshold: 6, blankStdThreshold: 2, lowContrastStdThreshold: 8 },
    skippedClassFolders: [],
    skippedFiles: [],
    unreadable: [],
    nonStandard: [],
    blank: [{ path: "train/happy/b.png", std: 0 }],
    lowContrast: [],
    exactDuplicates: {
      withinSplit: { train: { groups: 1, files: 3, redundantCopies: 2 }, test: { groups: 0, files: 0, redundantCopies: 0 } },
      groups: [],
      redundantCopies: 2,
      acrossSplits: [],
      crossLabel: [["train/happy/1.png", "train/sad/1.png"]],
    },
    nearDuplicates: [
      { a: "train/happy/1.png", b: "test/happy/1.png", distance: 0 },
      { a: "train/happy/2.png", b: "test/happy/1.png", distance: 4 },
      { a: "train/sad/3.png", b: "test/sad/9.png", distance: 2 },
    ],
    sharpness: { perSplit: { train: { mean: 3.4, median: 3.3 }, test: { mean: 13.3, median: 13.2 } }, ratio: 4, shifted: true },
    meanFaces: [],
    ...extra,
  };
}

describe("dataReportTables", () => {
  it("counts images per split and class with row and column totals", () => {
    expect(dataReportTables(report()).counts.cells).toEqual([
      ["train", 6, 4, 10],
      ["test", 2, 2, 4],
      ["total", 8, 6, 14],
    ]);
  });

  it("counts near-duplicate pairs and the distinct later-split images they reach", () => {
    // Two pairs reach test/happy/1.png: 3 pairs, 2 distinct test images of 4.
    expect(dataReportTables(report()).leakage.cells).toEqual([["train - test", 3, 2, "50.0 %"]]);
  });

  it("lists blank images, redundant copies per split and cross-label groups", () => {
    const cells = dataReportTables(report()).duplicates.cells;
    expect(cells).toContainEqual(["blank (pixel std < 2)", 1]);
    expect(cells).toContainEqual(["redundant exact copies within train", 2]);
    expect(cells).toContainEqual(["same image under two labels (groups)", 1]);
  });

  it("flags a sharpness shift in the ratio row", () => {
    const sharpness = dataReportTables(report()).sharpness;
    expect(sharpness.cells[0]).toEqual(["train", 3.4, 3.3]);
    expect(sharpness.cells[2]).toEqual(["largest / smallest median (shifted: splits processed differently)", null, 4]);
  });

  it("marks a synthetic dataset in the counts caption", () => {
    expect(dataReportTables(report({ synthetic: true })).counts.caption).toContain("SYNTHETIC");
  });
});
