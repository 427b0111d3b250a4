import { describe, expect, it } from "vitest";
import { BACKBONE_NAMES } from "../../src/transfer/backbone_registry.ts";
import { backboneTable } from "../../src/transfer/backbone_table.ts";

describe("backboneTable", () => {
  it("lists every registered backbone once, in registry order", () => {
    expect(backboneTable().cells.map((row) => row[0])).toEqual([...BACKBONE_NAMES]);
  });

  it("says which backbones can be fine-tuned and which carry a classifier", () => {
    const rows = Object.fromEntries(backboneTable().cells.map((row) => [row[0], row]));
    expect(rows.face_api_recognition[1]).toBe("layers (fine-tunable)");
    expect(rows.human_emotion[1]).toBe("graph (frozen)");
    expect(rows.face_api_recognition[4]).toBe("none");
    expect(rows.human_emotion[4]).toBe("angry, disgust, fear, happy, sad, surprise, neutral");
  });
});
