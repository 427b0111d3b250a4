import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { makeRng } from "../../src/core/seed.ts";
import { equalizeHistogram } from "../../src/data/decode_image.ts";
import { type ImageSet, makeImageSet } from "../../src/data/image_set.ts";
import { buildModel } from "../../src/models/build_model.ts";
import { measureRobustness } from "../../src/robustness/measure_robustness.ts";
import { PERTURBATIONS, perturbImageSet, selectPerturbations } from "../../src/robustness/perturbation_suite.ts";
import { measureRobustnessReference } from "../../bench/_robustness_reference.ts";

const CLASSES = ["happy", "sad", "surprise", "neutral"];
const SIDE = 24;

/**
 * 14 faces of 24x24: 11 textured ones, two exact copies of the first two (the
 * split's duplicates) and a flat grey image (which every blur leaves as it is).
 */
function testSet(): ImageSet {
  const rng = makeRng(11);
  const length = SIDE * SIDE;
  const count = 14;
  const pixels = new Uint8Array(count * length);
  for (let k = 0; k < 11; k++) {
    for (let i = 0; i < length; i++) pixels[k * length + i] = Math.round(rng.uniform(20, 235));
  }
  pixels.copyWithin(11 * length, 0, 2 * length);
  pixels.fill(128, 13 * length);
  const labels = Uint8Array.from({ length: count }, (_, i) => i % CLASSES.length);
  return makeImageSet({ pixels, labels, paths: Array.from(labels, (_, i) => `validation/x/${i}.png`) }, { height: SIDE, width: SIDE, channels: 1 });
}

let model: tf.LayersModel;
const set = testSet();
const options = { classes: CLASSES, preprocessing: "scale_0_1" as const, perturbations: PERTURBATIONS, seed: 42 };

beforeAll(async () => {
  await tf.setBackend("cpu");
  model = buildModel({ family: "small_cnn", filters: [4, 8], denseUnits: 8, inputShape: [SIDE, SIDE, 1], numClasses: 4, seed: 3 });
});
afterAll(() => model.dispose());

describe("measureRobustness (deduplicated, batched) against the old path", () => {
  it("gives the same scores and the same predicted class for every image, with fewer predictions", async () => {
    const old = await measureRobustnessReference(model, set, options);
    const fast = await measureRobustness(model, set, { ...options, keepPredictions: true });
    expect(fast.clean).toEqual(old.clean);
    expect(fast.results).toEqual(old.results);
    expect(fast.predicted?.clean).toEqual(old.predicted.clean);
    expect(fast.predicted?.results).toEqual(old.predicted.results);
    expect(fast.images).toBe(set.count * (1 + PERTURBATIONS.length * 5));
    expect(fast.predictions).toBeLessThan(fast.images);
  });

  it("counts per image the clean result and, per perturbation, the severities it was right at, as the old path's predictions say", async () => {
    const old = await measureRobustnessReference(model, set, options);
    const fast = await measureRobustness(model, set, options);
    const right = (predicted: Uint8Array) => Array.from(predicted, (c, i) => Number(c === set.labels[i]));
    expect(Array.from(fast.correct.clean)).toEqual(right(old.predicted.clean));
    expect(fast.correct.perPerturbation).toHaveLength(PERTURBATIONS.length);
    PERTURBATIONS.forEach((_, k) => {
      const severities = old.predicted.results.slice(k * 5, k * 5 + 5).map(right);
      expect(Array.from(fast.correct.perPerturbation[k])).toEqual(set.labels.reduce<number[]>((acc, _, i) => [...acc, severities.reduce((n, r) => n + r[i], 0)], []));
    });
    // Some image is right at some but not all severities of some perturbation, so the counts are not all 0 or 5.
    expect(fast.correct.perPerturbation.some((counts) => counts.some((c) => c > 0 && c < 5))).toBe(true);
  });

  it("predicts each distinct image once: copies in the split, and a perturbed image equal to a clean one, reuse a prediction", async () => {
    const blur = PERTURBATIONS.filter((p) => p.name === "gaussian_blur");
    const fast = await measureRobustness(model, set, { ...options, perturbations: blur });
    expect(fast.images).toBe(14 * 6);
    // 12 distinct clean images; under the blur, 11 distinct textured ones at 5 severities (the copies repeat
    // their originals, and the flat image stays the clean flat image).
    expect(fast.predictions).toBe(12 + 11 * 5);
  });

  it("does not depend on the batch size", async () => {
    const some = { ...options, perturbations: PERTURBATIONS.filter((_, i) => i % 4 === 0), keepPredictions: true };
    const small = await measureRobustness(model, set, { ...some, batchSize: 5 });
    const large = await measureRobustness(model, set, { ...some, batchSize: 1000 });
    expect(small.results).toEqual(large.results);
    expect(small.predicted).toEqual(large.predicted);
  });

  it("equalises each image after perturbing it, as the run's decoding would, when asked", async () => {
    const equalized = (images: ImageSet): ImageSet => {
      const length = SIDE * SIDE;
      const pixels = new Uint8Array(images.pixels.length);
      for (let i = 0; i < images.count; i++) pixels.set(equalizeHistogram(images.pixels.subarray(i * length, (i + 1) * length)), i * length);
      return makeImageSet({ pixels, labels: images.labels, paths: images.paths }, images);
    };
    const perturbations = selectPerturbations(["contrast", "gaussian_noise"]);
    const measured = await measureRobustness(model, set, { ...options, perturbations, equalize: true, keepPredictions: true });
    const byHand = async (images: ImageSet) =>
      (await measureRobustness(model, equalized(images), { ...options, perturbations: [], keepPredictions: true })).predicted!.clean;
    expect(measured.predicted?.clean).toEqual(await byHand(set));
    let k = 0;
    for (const perturbation of perturbations) {
      for (const severity of [1, 2, 3, 4, 5]) {
        expect(measured.predicted?.results[k++], `${perturbation.name} ${severity}`).toEqual(
          await byHand(perturbImageSet(set, { perturbation, severity, seed: options.seed })),
        );
      }
    }
    // Perturbing already-equalised faces (the order before equalize was an option) is a different measurement.
    const wrongOrder = await measureRobustness(model, equalized(set), { ...options, perturbations, keepPredictions: true });
    expect(wrongOrder.predicted?.results).not.toEqual(measured.predicted?.results);
  });

  it("reuses clean probabilities passed back in, predicting only perturbed images", async () => {
    const first = await measureRobustness(model, set, { ...options, perturbations: PERTURBATIONS.slice(0, 2) });
    const second = await measureRobustness(model, set, { ...options, perturbations: PERTURBATIONS.slice(2, 4), cleanProbabilities: first.cleanProbabilities });
    const whole = await measureRobustness(model, set, { ...options, perturbations: PERTURBATIONS.slice(0, 4) });
    expect(second.clean).toEqual(first.clean);
    expect([...first.results, ...second.results]).toEqual(whole.results);
    expect(second.predictions).toBeLessThanOrEqual(set.count * 2 * 5);
  });

  it("refuses clean probabilities of another size, saying what to pass", async () => {
    await expect(measureRobustness(model, set, { ...options, cleanProbabilities: new Float32Array(3) })).rejects.toThrow(/expected 14 images x 4 classes/);
  });
});
