import { describe, expect, it } from "vitest";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import sharp from "sharp";
import { ConfigError } from "../../src/core/errors.ts";
import { makeRng } from "../../src/core/seed.ts";
import { findLeakedImages, leakedFlags } from "../../src/data/find_leaked_images.ts";
import { makeImageSet } from "../../src/data/image_set.ts";
import { equalizeImages } from "../../src/data/decode_image.ts";
import { loadDataset } from "../../src/data/load_dataset.ts";

/** A smooth random face-like pattern: Gaussian blobs on a gray ground, 48x48. */
function pattern(seed: number): Uint8Array {
  const rng = makeRng(seed);
  const blobs = Array.from({ length: 12 }, () => ({
    x: rng.uniform(0, 48), y: rng.uniform(0, 48), s: rng.uniform(3, 10), a: rng.uniform(-90, 90),
  }));
  const out = new Uint8Array(48 * 48);
  for (let y = 0; y < 48; y++) {
    for (let x = 0; x < 48; x++) {
      let v = 128;
      for (const b of blobs) v += b.a * Math.exp(-((x - b.x) ** 2 + (y - b.y) ** 2) / (2 * b.s * b.s));
      out[y * 48 + x] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
  return out;
}

/** The same photo a little brighter and shifted one pixel: a near copy. */
function brighterShifted(gray: Uint8Array): Uint8Array {
  return gray.map((_, i) => Math.min(255, gray[i - (i % 48 === 0 ? 0 : 1)] + 10));
}

function set(images: Uint8Array[], paths: string[]) {
  const pixels = new Uint8Array(images.length * 48 * 48);
  images.forEach((image, i) => pixels.set(image, i * 48 * 48));
  return makeImageSet({ pixels, labels: new Uint8Array(images.length), paths }, { height: 48, width: 48, channels: 1 });
}

describe("findLeakedImages", () => {
  const train = set([pattern(1), pattern(2)], ["train/a/1.png", "train/a/2.png"]);

  it("flags an exact copy, a near copy and nothing else", () => {
    const validation = set([pattern(1), brighterShifted(pattern(2)), pattern(3)], ["validation/a/x.png", "validation/a/y.png", "validation/a/z.png"]);
    const leakage = findLeakedImages(train, { validation });
    expect(leakage.leaked["validation/a/x.png"]).toEqual({ kind: "exact", trainPath: "train/a/1.png", distance: 0 });
    expect(leakage.leaked["validation/a/y.png"]).toMatchObject({ kind: "near", trainPath: "train/a/2.png" });
    expect(leakage.leaked["validation/a/y.png"].distance).toBeGreaterThan(0);
    expect(leakage.leaked["validation/a/y.png"].distance).toBeLessThanOrEqual(6);
    expect(leakage.leaked["validation/a/z.png"]).toBeUndefined();
    expect(leakage.counts.validation).toEqual({ images: 3, exact: 1, near: 1 });
    expect(leakedFlags(validation.paths, leakage)).toEqual([true, true, false]);
  });

  it("counts a near copy as leak-free at a threshold below its distance", () => {
    const validation = set([brighterShifted(pattern(2))], ["validation/a/y.png"]);
    expect(findLeakedImages(train, { validation }, { hammingThreshold: 0 }).counts.validation).toEqual({ images: 1, exact: 0, near: 0 });
  });

  it("skips a split that is absent, and gives no flags when leakage is unknown", () => {
    expect(findLeakedImages(train, { test: undefined }).counts).toEqual({});
    expect(leakedFlags(["validation/a/x.png"], null)).toBeUndefined();
  });

  it("rejects a threshold outside 0-64 with a ConfigError naming it", () => {
    expect(() => findLeakedImages(train, {}, { hammingThreshold: 65 })).toThrow(ConfigError);
    expect(() => findLeakedImages(train, {}, { hammingThreshold: 65 })).toThrow("hammingThreshold");
  });
});

describe("loadDataset and leakage", () => {
  async function root(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), "fer-leak-"));
    const files: Record<string, Uint8Array> = {
      "train/happy/1.png": pattern(1),
      "train/sad/2.png": pattern(2),
      "validation/happy/copy.png": pattern(1),
      "validation/sad/new.png": pattern(3),
      "test/sad/near.png": brighterShifted(pattern(2)),
      "test/happy/new.png": pattern(4),
    };
    for (const [path, gray] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), await sharp(gray, { raw: { width: 48, height: 48, channels: 1 } }).png().toBuffer());
    }
    return dir;
  }
  const options = { classes: ["happy", "sad"] };

  it("reports which validation and test images leak from train, and keeps them by default", async () => {
    const dataset = await loadDataset(await root(), options);
    expect(dataset.droppedLeaked).toBe(false);
    expect(Object.keys(dataset.leakage!.leaked).sort()).toEqual(["test/sad/near.png", "validation/happy/copy.png"]);
    expect(dataset.leakage!.counts).toEqual({ validation: { images: 2, exact: 1, near: 0 }, test: { images: 2, exact: 0, near: 1 } });
    expect(dataset.splits.validation.count).toBe(2);
  });

  it("flags the same images for a run that equalises its faces: leaks are found before equalisation", async () => {
    const dir = await root();
    const plain = await loadDataset(dir, options);
    const equalized = await loadDataset(dir, { ...options, decode: { equalize: true }, dropLeaked: true });
    expect(equalized.leakage).toEqual(plain.leakage);
    expect(equalized.splits.validation.paths).toEqual(["validation/sad/new.png"]);
    expect(Array.from(equalized.splits.validation.pixels)).toEqual(
      Array.from(equalizeImages(plain.splits.validation.pixels.subarray(48 * 48), { height: 48, width: 48, channels: 1 })),
    );
  });

  it("drops the leaked validation and test images with dropLeaked, and still counts them", async () => {
    const dataset = await loadDataset(await root(), { ...options, dropLeaked: true });
    expect(dataset.droppedLeaked).toBe(true);
    expect(dataset.splits.validation.paths).toEqual(["validation/sad/new.png"]);
    expect(dataset.splits.test?.paths).toEqual(["test/happy/new.png"]);
    expect(dataset.splits.train.count).toBe(2);
    expect(dataset.leakage!.counts.test).toEqual({ images: 2, exact: 0, near: 1 });
  });
});

describe("loadDataset without train", () => {
  it("leaves leakage unknown (null) when only test is loaded, and drops nothing", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fer-leak-notrain-"));
    await mkdir(join(dir, "test", "happy"), { recursive: true });
    await writeFile(join(dir, "test", "happy", "a.png"), await sharp(pattern(5), { raw: { width: 48, height: 48, channels: 1 } }).png().toBuffer());
    const dataset = await loadDataset(dir, { classes: ["happy", "sad"], splits: ["test"], dropLeaked: true });
    expect(dataset.leakage).toBeNull();
    expect(dataset.droppedLeaked).toBe(false);
    expect(dataset.splits.test?.count).toBe(1);
  });
});
