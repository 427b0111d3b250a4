import { describe, expect, it } from "vitest";
import type { TransferSection } from "../../src/transfer/transfer_section.ts";
import { transferConfigIssues } from "../../src/transfer/transfer_config_issues.ts";

const model = (extra: Partial<TransferSection> = {}): TransferSection => ({
  family: "transfer",
  backbone: "face_api_expression",
  mode: "frozen",
  head: { hiddenUnits: [], dropout: 0 },
  unfreezeLast: 4,
  learningRateScale: 0.1,
  headWarmupEpochs: 5,
  ...extra,
});
const dataset = (extra: Record<string, unknown> = {}) => ({
  preprocessing: "scale_0_1",
  augmentation: {},
  classes: ["happy", "sad", "surprise", "neutral"],
  ...extra,
});
const paths = (issues: { path: (string | number)[] }[]) => issues.map((i) => i.path.join("."));

describe("transferConfigIssues", () => {
  it("finds nothing wrong in a frozen face_api_expression config", () => {
    expect(transferConfigIssues({ dataset: dataset(), model: model() })).toEqual([]);
  });

  it("rejects standardised inputs", () => {
    expect(paths(transferConfigIssues({ dataset: dataset({ preprocessing: "standardize" }), model: model() }))).toEqual(["dataset.preprocessing"]);
  });

  it("rejects augmentation in frozen mode but allows it when fine-tuning", () => {
    const augmented = dataset({ augmentation: { horizontalFlip: true } });
    expect(paths(transferConfigIssues({ dataset: augmented, model: model() }))).toEqual(["dataset.augmentation"]);
    expect(transferConfigIssues({ dataset: augmented, model: model({ mode: "fine_tune" }) })).toEqual([]);
  });

  it("rejects fine-tuning a graph backbone", () => {
    expect(paths(transferConfigIssues({ dataset: dataset(), model: model({ backbone: "human_emotion", mode: "fine_tune" }) }))).toEqual(["model.mode"]);
  });

  it("rejects pretrained mode on a backbone without a classifier", () => {
    expect(paths(transferConfigIssues({ dataset: dataset(), model: model({ backbone: "face_api_recognition", mode: "pretrained" }) })))
      .toEqual(["model.backbone"]);
  });

  it("rejects pretrained mode when a class is not among the classifier's outputs", () => {
    const issues = transferConfigIssues({ dataset: dataset({ classes: ["happy", "contempt"] }), model: model({ mode: "pretrained" }) });
    expect(paths(issues)).toEqual(["dataset.classes"]);
    expect(issues[0].message).toContain('Class "contempt"');
  });
});
