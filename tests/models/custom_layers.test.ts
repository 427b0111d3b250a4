import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { CUSTOM_LAYER_CLASSES } from "../../src/models/custom_layers.ts";

describe("custom_layers", () => {
  it("lists every custom layer a saved model may hold", () => {
    expect([...CUSTOM_LAYER_CLASSES].sort()).toEqual(["FerChannelZeroPad", "FerInputAdapter", "FerSelectClasses", "SeededDropout"]);
  });

  it("registers each of them with tfjs for loading", () => {
    const registered = tf.serialization.SerializationMap.getMap().classNameMap;
    for (const name of CUSTOM_LAYER_CLASSES) expect(registered[name]).toBeDefined();
  });
});
