import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/errors.ts";
import { FACE_EXPRESSION_LABELS } from "../../src/transfer/face_expression_layers.ts";
import { matchClassLabels } from "../../src/transfer/match_class_labels.ts";

describe("matchClassLabels", () => {
  it("maps the four workbench classes onto face-api's seven outputs", () => {
    expect(matchClassLabels(["happy", "sad", "surprise", "neutral"], FACE_EXPRESSION_LABELS, { source: "face_api_expression" })).toEqual([1, 2, 6, 0]);
  });

  it("maps the FER-2013 classes onto the mini-Xception's outputs", () => {
    const labels = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"];
    expect(matchClassLabels(["Angry", "fearful", "disgusted", "happiness"], labels, { source: "human_emotion" })).toEqual([0, 2, 1, 3]);
  });

  it("names the class and the outputs when a class has no match", () => {
    expect(() => matchClassLabels(["contempt"], ["happy"], { source: "x" })).toThrow(ConfigError);
    expect(() => matchClassLabels(["contempt"], ["happy"], { source: "x" })).toThrow('Class "contempt" is not among the outputs of x (happy)');
  });
});
