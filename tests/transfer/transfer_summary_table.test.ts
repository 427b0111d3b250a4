import { describe, expect, it } from "vitest";
import { transferSummaryTable } from "../../src/transfer/transfer_summary_table.ts";

const transfer = {
  backbone: "face_api_expression",
  kind: "layers",
  mode: "frozen",
  features: 256,
  trainableBackboneLayers: 0,
  featureCache: { train: "cached", validation: "computed" },
  featureSeconds: 12.345,
};

describe("transferSummaryTable", () => {
  it("gives one row per transfer run with its backbone facts and warnings", () => {
    const table = transferSummaryTable([
      { label: "a (123456)", metrics: { transfer, warnings: ["Predictions on test collapsed"] } },
      { label: "b (654321)", metrics: { transfer: { ...transfer, mode: "pretrained", features: null, featureCache: {} }, warnings: [] } },
    ]);
    expect(table.cells).toEqual([
      ["a (123456)", "face_api_expression", "frozen", 256, 0, "train cached, validation computed", 12.3, "Predictions on test collapsed"],
      ["b (654321)", "face_api_expression", "pretrained", null, 0, "none", 12.3, "none"],
    ]);
    expect(table.headers).toHaveLength(8);
  });

  it("leaves out runs that are not transfer runs", () => {
    expect(transferSummaryTable([{ label: "cnn", metrics: { validation: {} } }]).cells).toEqual([]);
  });
});
