import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/errors.ts";
import { makeRng } from "../../src/core/seed.ts";
import { makeImageSet } from "../../src/data/image_set.ts";
import { PERTURBATIONS, perturbImage, perturbImageSet, selectPerturbations } from "../../src/robustness/perturbation_suite.ts";

const SIDE = 48;
const SHAPE = { height: SIDE, width: SIDE, channels: 1 };

/** Face-like test images: a smooth gradient with dark eyes and a mouth, some texture, never flat. */
function testImages(count: number): Uint8Array[] {
  const rng = makeRng(3);
  return Array.from({ length: count }, (_, k) => {
    const image = new Uint8Array(SIDE * SIDE);
    for (let y = 0; y < SIDE; y++) {
      for (let x = 0; x < SIDE; x++) {
        const eye = (Math.hypot(y - 18, x - 15) < 4 || Math.hypot(y - 18, x - 33) < 4) ? -70 : 0;
        const mouth = Math.abs(y - 37) < 2 && Math.abs(x - 24) < 9 ? -60 : 0;
        image[y * SIDE + x] = Math.round(90 + 2 * x + y + 10 * k + eye + mouth + rng.uniform(-10, 10));
      }
    }
    return image;
  });
}

function meanAbsoluteChange(a: Uint8Array, b: Uint8Array): number {
  let total = 0;
  for (let i = 0; i < a.length; i++) total += Math.abs(a[i] - b[i]);
  return total / a.length;
}

describe("the perturbation suite", () => {
  const images = testImages(4);

  it("has 22 perturbations with unique names in the four families", () => {
    expect(new Set(PERTURBATIONS.map((p) => p.name)).size).toBe(22);
    expect(new Set(PERTURBATIONS.map((p) => p.family))).toEqual(new Set(["lighting", "quality", "occlusion", "pose"]));
  });

  for (const perturbation of PERTURBATIONS) {
    it(`${perturbation.name}: severity 0 is the identity`, () => {
      for (const image of images) {
        expect(perturbImage(image, SHAPE, { perturbation, severity: 0, seed: 9 })).toEqual(image);
      }
    });

    it(`${perturbation.name}: damage grows with every severity step`, () => {
      const damage = [1, 2, 3, 4, 5].map((severity) =>
        images.reduce((sum, image, i) => sum + meanAbsoluteChange(image, perturbImage(image, SHAPE, { perturbation, severity, seed: 100 + i })), 0)
      );
      expect(damage[0]).toBeGreaterThan(0.5);
      for (let s = 1; s < 5; s++) expect(damage[s], `severity ${s + 1} vs ${s}: ${damage.join(", ")}`).toBeGreaterThan(damage[s - 1]);
    });

    it(`${perturbation.name}: the same seed reproduces the image`, () => {
      const a = perturbImage(images[0], SHAPE, { perturbation, severity: 3, seed: 5 });
      const b = perturbImage(images[0], SHAPE, { perturbation, severity: 3, seed: 5 });
      expect(a).toEqual(b);
    });
  }

  it("different seeds change the random perturbations", () => {
    const noise = selectPerturbations(["gaussian_noise"])[0];
    const a = perturbImage(images[0], SHAPE, { perturbation: noise, severity: 2, seed: 1 });
    const b = perturbImage(images[0], SHAPE, { perturbation: noise, severity: 2, seed: 2 });
    expect(a).not.toEqual(b);
  });

  it("brightness_up adds 10 % of white at severity 1 and clamps at 255", () => {
    const up = selectPerturbations(["brightness_up"])[0];
    const image = Uint8Array.of(0, 100, 250, 255);
    expect(Array.from(perturbImage(image, { height: 2, width: 2, channels: 1 }, { perturbation: up, severity: 1, seed: 0 })))
      .toEqual([26, 126, 255, 255]);
  });

  it("pixelate at severity 5 leaves at most 12 x 12 distinct blocks", () => {
    const pixelate = selectPerturbations(["pixelate"])[0];
    const out = perturbImage(images[0], SHAPE, { perturbation: pixelate, severity: 5, seed: 0 });
    // Every 4x4 block is one value.
    for (let y = 0; y < SIDE; y++) for (let x = 0; x < SIDE; x++) expect(out[y * SIDE + x]).toBe(out[(y - (y % 4)) * SIDE + x - (x % 4)]);
  });

  it("eye_band blacks out the eye rows and leaves the mouth", () => {
    const band = selectPerturbations(["eye_band"])[0];
    const out = perturbImage(images[0], SHAPE, { perturbation: band, severity: 3, seed: 0 });
    expect(out[18 * SIDE + 24]).toBe(0);
    expect(out[37 * SIDE + 24]).toBe(images[0][37 * SIDE + 24]);
  });

  it("applies the same draws to every channel of a colour image", () => {
    const noise = selectPerturbations(["gaussian_noise"])[0];
    const rgb = new Uint8Array(SIDE * SIDE * 3).fill(120);
    const out = perturbImage(rgb, { height: SIDE, width: SIDE, channels: 3 }, { perturbation: noise, severity: 2, seed: 4 });
    for (let i = 0; i < SIDE * SIDE; i++) expect(out[3 * i]).toBe(out[3 * i + 2]);
  });

  it("perturbImageSet is independent of which other images are in the set", () => {
    const pixels = new Uint8Array(images.length * SIDE * SIDE);
    images.forEach((image, i) => pixels.set(image, i * SIDE * SIDE));
    const set = makeImageSet({ pixels, labels: Uint8Array.of(0, 1, 2, 3), paths: ["a", "b", "c", "d"] }, SHAPE);
    const perturbation = selectPerturbations(["cutout"])[0];
    const whole = perturbImageSet(set, { perturbation, severity: 2, seed: 42 });
    const again = perturbImageSet(set, { perturbation, severity: 2, seed: 42 });
    expect(whole.pixels).toEqual(again.pixels);
    expect(whole.labels).toEqual(set.labels);
    expect(whole.pixels.subarray(0, SIDE * SIDE)).not.toEqual(images[0]);
  });

  it("rejects a severity outside 0-5 with a ConfigError naming it", () => {
    const perturbation = PERTURBATIONS[0];
    expect(() => perturbImage(images[0], SHAPE, { perturbation, severity: 6, seed: 0 })).toThrow(ConfigError);
    expect(() => perturbImage(images[0], SHAPE, { perturbation, severity: 1.5, seed: 0 })).toThrow(/Severity 1.5 is not allowed/);
  });

  it("selects by family and rejects an unknown name listing the known ones", () => {
    expect(selectPerturbations(["occlusion"]).map((p) => p.name)).toEqual(["eye_band", "mouth_band", "cutout", "hand_over_mouth"]);
    expect(() => selectPerturbations(["fog"])).toThrow(/Unknown perturbation "fog"; known: brightness_up/);
  });
});

describe("the jpeg perturbation", () => {
  it("matches libjpeg (through sharp) at the same quality to within a gray level or two", async () => {
    const { default: sharp } = await import("sharp");
    const image = testImages(1)[0];
    const jpeg = selectPerturbations(["jpeg"])[0];
    const ours = perturbImage(image, SHAPE, { perturbation: jpeg, severity: 2, seed: 0 }); // quality 20
    const encoded = await sharp(image, { raw: { width: SIDE, height: SIDE, channels: 1 } }).jpeg({ quality: 20 }).toBuffer();
    const theirs = new Uint8Array(await sharp(encoded).grayscale().raw().toBuffer());
    expect(meanAbsoluteChange(ours, theirs)).toBeLessThan(2);
    expect(meanAbsoluteChange(ours, image)).toBeGreaterThan(3);
  });
});
