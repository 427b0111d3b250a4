import { describe, expect, it } from "vitest";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { SYNTHETIC_MARKER_FILE } from "../../src/data/classes.ts";
import { equalizeImages } from "../../src/data/decode_image.ts";
import { loadDataset } from "../../src/data/load_dataset.ts";
import { ConfigError, DatasetError } from "../../src/core/errors.ts";

/** A flat gray PNG of the given size and value (or an RGB colour). */
function png(size: number, value: number | [number, number, number]): Promise<Buffer> {
  const channels = typeof value === "number" ? 1 : 3;
  const pixel = typeof value === "number" ? [value] : value;
  const raw = Buffer.alloc(size * size * channels);
  for (let i = 0; i < raw.length; i++) raw[i] = pixel[i % channels];
  return sharp(raw, { raw: { width: size, height: size, channels } }).png().toBuffer();
}

/** Writes `files` (relative path -> bytes) into a new temporary root. */
async function makeRoot(files: Record<string, Uint8Array | string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "fer-load-"));
  for (const [path, bytes] of Object.entries(files)) {
    await mkdir(join(root, path, ".."), { recursive: true });
    await writeFile(join(root, path), bytes);
  }
  return root;
}

/** Two classes, 4x4 images, train/validation/test; the pixel value encodes the file. */
async function smallRoot(extra: Record<string, Uint8Array | string> = {}): Promise<string> {
  return makeRoot({
    "train/happy/a.png": await png(4, 10),
    "train/happy/b.png": await png(4, 20),
    "train/sad/c.png": await png(4, 30),
    "validation/sad/d.png": await png(4, 40),
    "test/happy/e.png": await png(4, 50),
    ...extra,
  });
}

const twoClasses = { classes: ["happy", "sad"], decode: { size: 4 } };

describe("loadDataset", () => {
  it("decodes every split into image sets with labels and paths", async () => {
    const dataset = await loadDataset(await smallRoot(), twoClasses);
    const { train, validation, test } = dataset.splits;
    expect(train.paths).toEqual(["train/happy/a.png", "train/happy/b.png", "train/sad/c.png"]);
    expect(Array.from(train.labels)).toEqual([0, 0, 1]);
    expect([train.count, train.height, train.width, train.channels]).toEqual([3, 4, 4, 1]);
    expect(Array.from(train.pixels.subarray(16, 32))).toEqual(new Array(16).fill(20));
    expect(validation.paths).toEqual(["validation/sad/d.png"]);
    expect(test?.paths).toEqual(["test/happy/e.png"]);
    expect(dataset.validationSource).toBe("folder");
    expect(dataset.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(dataset.synthetic).toBe(false);
    expect(dataset.cache.status).toBe("off");
  });

  it("passes the DatasetError for a missing root through", async () => {
    await expect(loadDataset("/no/such/root")).rejects.toThrow(DatasetError);
    await expect(loadDataset("/no/such/root")).rejects.toThrow("Dataset root /no/such/root does not exist");
  });

  it("passes the DatasetError for a root with no image through", async () => {
    const root = await makeRoot({ "train/happy/notes.txt": "x" });
    await expect(loadDataset(root)).rejects.toThrow("holds no image of the classes");
  });

  it("fails with a DatasetError when train holds no readable image", async () => {
    const root = await makeRoot({ "train/happy/bad.png": "not an image", "test/happy/e.png": await png(4, 50) });
    await expect(loadDataset(root, twoClasses)).rejects.toThrow("has no readable image under train/ (1 unreadable)");
  });

  it("skips and reports a class folder that is not in the class list", async () => {
    const dataset = await loadDataset(await smallRoot({ "train/angry/x.png": await png(4, 90) }), twoClasses);
    expect(dataset.problems.skippedClassFolders).toEqual([{ path: "train/angry", files: 1 }]);
    expect(dataset.splits.train.paths).not.toContain("train/angry/x.png");
  });

  it("skips a corrupt file, reports its path and reason, and loads the rest", async () => {
    const dataset = await loadDataset(await smallRoot({ "train/sad/broken.png": "this is not a png" }), twoClasses);
    expect(dataset.problems.unreadable).toHaveLength(1);
    expect(dataset.problems.unreadable[0].path).toBe("train/sad/broken.png");
    expect(dataset.problems.unreadable[0].reason.length).toBeGreaterThan(0);
    expect(dataset.splits.train.count).toBe(3);
  });

  it("resizes images of other sizes to the decode size", async () => {
    const dataset = await loadDataset(await smallRoot({ "train/sad/big.png": await png(9, 70) }), twoClasses);
    const index = dataset.splits.train.paths.indexOf("train/sad/big.png");
    expect(Array.from(dataset.splits.train.pixels.subarray(index * 16, index * 16 + 16))).toEqual(new Array(16).fill(70));
  });

  it("converts colour images to gray by luminance", async () => {
    const dataset = await loadDataset(await smallRoot({ "train/sad/red.png": await png(4, [255, 0, 0]) }), twoClasses);
    const index = dataset.splits.train.paths.indexOf("train/sad/red.png");
    const pixels = dataset.splits.train.pixels.subarray(index * 16, index * 16 + 16);
    // libvips converts through linear light: pure red has luminance Y = 0.2126,
    // which sRGB-encodes to 1.055 * Y^(1/2.4) - 0.055 = 0.498, so gray 127.
    const expected = Math.round(255 * (1.055 * Math.pow(0.2126, 1 / 2.4) - 0.055));
    expect(new Set(pixels).size).toBe(1);
    expect(Math.abs(pixels[0] - expected)).toBeLessThanOrEqual(1);
  });

  it("replicates gray into three channels when asked", async () => {
    const dataset = await loadDataset(await smallRoot(), { classes: ["happy", "sad"], decode: { size: 4, channels: 3 } });
    expect(dataset.splits.train.channels).toBe(3);
    expect(Array.from(dataset.splits.train.pixels.subarray(0, 6))).toEqual([10, 10, 10, 10, 10, 10]);
  });

  it("marks a root holding the synthetic marker file as synthetic", async () => {
    const dataset = await loadDataset(await smallRoot({ [SYNTHETIC_MARKER_FILE]: "{}" }), twoClasses);
    expect(dataset.synthetic).toBe(true);
  });

  it("rejects a decode size that is not a whole number", async () => {
    await expect(loadDataset(await smallRoot(), { decode: { size: 4.5 } })).rejects.toThrow(ConfigError);
  });

  it("reports progress ending at (total, total)", async () => {
    const calls: [number, number][] = [];
    await loadDataset(await smallRoot(), { ...twoClasses, onProgress: (done, total) => calls.push([done, total]) });
    expect(calls.at(-1)).toEqual([5, 5]);
  });
});

describe("loadDataset with some splits", () => {
  it("reads train whole when the root's validation folder is not asked for, and carves nothing from it", async () => {
    const files: Record<string, Uint8Array> = { "validation/sad/v.png": await png(4, 200) };
    for (let i = 0; i < 20; i++) files[`train/happy/h${String(i).padStart(2, "0")}.png`] = await png(4, i);
    for (let i = 0; i < 10; i++) files[`train/sad/s${i}.png`] = await png(4, 100 + i);
    const dataset = await loadDataset(await makeRoot(files), { ...twoClasses, splits: ["train"] });
    expect(dataset.splits.train.count).toBe(30);
    expect(dataset.splits.validation.count).toBe(0);
    expect(dataset.splits.test).toBeUndefined();
  });
});

describe("loadDataset without a validation folder", () => {
  async function trainOnly(): Promise<string> {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 20; i++) files[`train/happy/h${String(i).padStart(2, "0")}.png`] = await png(4, i);
    for (let i = 0; i < 10; i++) files[`train/sad/s${i}.png`] = await png(4, 100 + i);
    return makeRoot(files);
  }

  it("holds out a stratified share of train and records how", async () => {
    const dataset = await loadDataset(await trainOnly(), { ...twoClasses, seed: 3, validationFraction: 0.2 });
    expect(dataset.validationSource).toBe("split_from_train");
    expect(dataset.validationSplit).toEqual({ seed: 3, fraction: 0.2 });
    expect(Array.from(dataset.splits.validation.labels).sort()).toEqual([0, 0, 0, 0, 1, 1]);
    expect(dataset.splits.train.count).toBe(24);
    const all = [...dataset.splits.train.paths, ...dataset.splits.validation.paths];
    expect(new Set(all).size).toBe(30);
  });

  it("makes the same split for the same seed and another for another seed", async () => {
    const root = await trainOnly();
    const a = await loadDataset(root, { ...twoClasses, seed: 3 });
    const b = await loadDataset(root, { ...twoClasses, seed: 3 });
    const c = await loadDataset(root, { ...twoClasses, seed: 4 });
    expect(b.splits.validation.paths).toEqual(a.splits.validation.paths);
    expect(c.splits.validation.paths).not.toEqual(a.splits.validation.paths);
  });

  it("keeps the fingerprint independent of the split seed", async () => {
    const root = await trainOnly();
    const a = await loadDataset(root, { ...twoClasses, seed: 3 });
    const c = await loadDataset(root, { ...twoClasses, seed: 4 });
    expect(c.fingerprint).toBe(a.fingerprint);
  });
});

describe("loadDataset with a cache", () => {
  async function setup() {
    const root = await smallRoot();
    const cacheDir = await mkdtemp(join(tmpdir(), "fer-load-cache-"));
    return { root, cacheDir, options: { ...twoClasses, cacheDir } };
  }

  it("writes the cache on the first load and reads the same images back", async () => {
    const { root, options } = await setup();
    const first = await loadDataset(root, options);
    const again = await loadDataset(root, options);
    expect(first.cache.status).toBe("written");
    expect(again.cache.status).toBe("hit");
    expect(again.fingerprint).toBe(first.fingerprint);
    expect(Array.from(again.splits.train.pixels)).toEqual(Array.from(first.splits.train.pixels));
    expect(again.splits.test?.paths).toEqual(first.splits.test?.paths);
  });

  it("does not decode again on a hit", async () => {
    const { root, options } = await setup();
    await loadDataset(root, options);
    const calls: number[] = [];
    await loadDataset(root, { ...options, onProgress: (done) => calls.push(done) });
    expect(calls).toEqual([]);
  });

  it("rebuilds a truncated cache file and says why", async () => {
    const { root, options } = await setup();
    const first = await loadDataset(root, options);
    const bytes = await readFile(first.cache.path!);
    await writeFile(first.cache.path!, bytes.subarray(0, bytes.length - 10));
    const rebuilt = await loadDataset(root, options);
    expect(rebuilt.cache.status).toBe("rebuilt");
    expect(rebuilt.cache.note).toContain("pixel bytes");
    expect(Array.from(rebuilt.splits.train.pixels)).toEqual(Array.from(first.splits.train.pixels));
    expect((await loadDataset(root, options)).cache.status).toBe("hit");
  });

  it("rebuilds a cache file whose pixels were altered", async () => {
    const { root, options } = await setup();
    const first = await loadDataset(root, options);
    const bytes = new Uint8Array(await readFile(first.cache.path!));
    bytes[bytes.length - 1] ^= 1;
    await writeFile(first.cache.path!, bytes);
    const rebuilt = await loadDataset(root, options);
    expect(rebuilt.cache.status).toBe("rebuilt");
    expect(rebuilt.splits.test?.pixels[15]).toBe(50);
  });

  it("misses the cache when a file's bytes change on disk", async () => {
    const { root, options } = await setup();
    const first = await loadDataset(root, options);
    await writeFile(join(root, "train/happy/a.png"), await png(4, 11));
    const second = await loadDataset(root, options);
    expect(second.fingerprint).not.toBe(first.fingerprint);
    expect(second.cache.status).toBe("written");
    expect(second.splits.train.pixels[0]).toBe(11);
  });

  it("misses the cache when a file is removed", async () => {
    const { root, options } = await setup();
    const first = await loadDataset(root, options);
    await rm(join(root, "train/happy/b.png"));
    const second = await loadDataset(root, options);
    expect(second.fingerprint).not.toBe(first.fingerprint);
    expect(second.splits.train.count).toBe(2);
  });

  it("keeps one file per decode size and channels; equalisation, applied after the cache, shares the plain file", async () => {
    const { root, cacheDir, options } = await setup();
    const plain = await loadDataset(root, options);
    const equalized = await loadDataset(root, { ...options, decode: { size: 4, equalize: true } });
    expect(equalized.cache.status).toBe("hit");
    expect(equalized.fingerprint).not.toBe(plain.fingerprint);
    expect(Array.from(equalized.splits.train.pixels)).toEqual(Array.from(equalizeImages(plain.splits.train.pixels, plain.splits.train)));
    const larger = await loadDataset(root, { ...options, decode: { size: 5 } });
    expect(larger.cache.status).toBe("written");
    expect((await readdir(cacheDir)).filter((name) => name.endsWith(".fercache"))).toHaveLength(2);
  });
});

describe.runIf(process.env.FER_REAL_DATA)("loadDataset on the real dataset", () => {
  it("loads the surprise class of every split and reloads it from the cache", async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), "fer-load-real-"));
    const options = { classes: ["surprise"], cacheDir };
    const first = await loadDataset(process.env.FER_REAL_DATA!, options);
    expect([first.splits.train.count, first.splits.validation.count, first.splits.test?.count]).toEqual([3171, 415, 32]);
    expect(first.problems.unreadable).toEqual([]);
    expect(first.problems.skippedClassFolders.map((f) => f.path)).toContain("train/happy");
    const again = await loadDataset(process.env.FER_REAL_DATA!, options);
    expect(again.cache.status).toBe("hit");
    expect(again.fingerprint).toBe(first.fingerprint);
    await rm(cacheDir, { recursive: true, force: true });
  });
});
