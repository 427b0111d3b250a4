import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { seededDropout } from "../../src/models/seeded_dropout.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const x = () => tf.ones([2, 200]);
const masksOf = async (seed: number, calls: number) => {
  const layer = seededDropout({ rate: 0.5, seed });
  const out: number[][] = [];
  for (let i = 0; i < calls; i++) out.push(Array.from(await (layer.apply(x(), { training: true }) as tf.Tensor).data()));
  return out;
};

describe("seededDropout", () => {
  it("draws a new mask on every training call", async () => {
    const [a, b] = await masksOf(3, 2);
    expect(a).not.toEqual(b);
  });
  it("reproduces the same sequence of masks for the same seed", async () => {
    expect(await masksOf(3, 3)).toEqual(await masksOf(3, 3));
  });
  it("scales kept values by 1 / (1 - rate) and drops about rate of them", async () => {
    const [mask] = await masksOf(9, 1);
    const kept = mask.filter((v) => v !== 0);
    expect(new Set(kept)).toEqual(new Set([2]));
    expect(kept.length / mask.length).toBeGreaterThan(0.4);
    expect(kept.length / mask.length).toBeLessThan(0.6);
  });
  it("passes inputs through unchanged at inference", async () => {
    const layer = seededDropout({ rate: 0.5, seed: 1 });
    expect(Array.from(await (layer.apply(x(), { training: false }) as tf.Tensor).data())).toEqual(new Array(400).fill(1));
  });
  it("rejects a rate outside [0, 1)", () => {
    expect(() => seededDropout({ rate: 1, seed: 0 })).toThrow("Dropout rate 1 is outside [0, 1)");
  });
  it("survives a save and load round trip with its rate and seed", async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2 }), seededDropout({ rate: 0.25, seed: 7 })] });
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler((artifacts) => {
      saved = artifacts;
      return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } });
    }));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
    expect(loaded.layers[1].getConfig()).toMatchObject({ rate: 0.25, seed: 7 });
  });
});
