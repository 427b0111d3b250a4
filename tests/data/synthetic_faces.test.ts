import { describe, expect, it } from "vitest";
import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { FER2013_CLASSES, SYNTHETIC_MARKER_FILE } from "../../src/data/classes.ts";
import { decodeImage } from "../../src/data/decode_image.ts";
import { discoverDataset } from "../../src/data/discover_dataset.ts";
import { generateSyntheticDataset, SYNTHETIC_GENERATOR } from "../../src/data/synthetic_faces.ts";
import { ConfigError } from "../../src/core/errors.ts";

async function temp(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), "fer-synth-")), "data");
}

async function filesOf(root: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const name of (await readdir(root, { recursive: true })).sort()) {
    if (name.endsWith(".png") || name.endsWith(".json")) files.set(name, await readFile(join(root, name)));
  }
  return files;
}

/** Mean face over a class folder, each image first normalised to zero mean and unit deviation. */
async function normalisedMeanFace(folder: string): Promise<Float64Array> {
  const names = (await readdir(folder)).sort();
  const mean = new Float64Array(48 * 48);
  for (const name of names) {
    const gray = await decodeImage(await readFile(join(folder, name)));
    const m = gray.reduce((a, b) => a + b, 0) / gray.length;
    const sd = Math.sqrt(gray.reduce((a, b) => a + (b - m) ** 2, 0) / gray.length);
    gray.forEach((v, i) => (mean[i] += (v - m) / sd / names.length));
  }
  return mean;
}

function meanAbsDifference(a: Float64Array, b: Float64Array, rows: [number, number], cols: [number, number]): number {
  let sum = 0;
  let n = 0;
  for (let y = rows[0]; y < rows[1]; y++) {
    for (let x = cols[0]; x < cols[1]; x++, n++) sum += Math.abs(a[y * 48 + x] - b[y * 48 + x]);
  }
  return sum / n;
}

describe("generateSyntheticDataset", () => {
  it("writes the requested images per split and class and a marker saying synthetic", async () => {
    const out = await temp();
    const marker = await generateSyntheticDataset(out, { perClass: { train: 3, validation: 2, test: 1 }, seed: 5 });
    const listing = await discoverDataset(out);
    expect([listing.splits.train?.length, listing.splits.validation?.length, listing.splits.test?.length]).toEqual([12, 8, 4]);
    expect(listing.splits.train?.[0].relativePath).toBe("train/happy/synthetic_00000.png");
    const saved = JSON.parse(await readFile(join(out, SYNTHETIC_MARKER_FILE), "utf8"));
    expect(saved).toEqual(marker);
    expect(saved).toMatchObject({ synthetic: true, generator: SYNTHETIC_GENERATOR, seed: 5, size: 48 });
    expect(saved.counts.validation).toEqual({ happy: 2, sad: 2, surprise: 2, neutral: 2 });
  });

  it("writes 48x48 one-channel grayscale PNG files", async () => {
    const out = await temp();
    await generateSyntheticDataset(out, { perClass: { train: 1, validation: 0, test: 0 }, seed: 5 });
    const meta = await sharp(join(out, "train/sad/synthetic_00000.png")).metadata();
    expect([meta.format, meta.width, meta.height, meta.channels]).toEqual(["png", 48, 48, 1]);
  });

  it("gives byte-identical files for the same seed", async () => {
    const options = { perClass: { train: 4, validation: 2, test: 2 }, seed: 9 };
    const [a, b] = [await temp(), await temp()];
    await generateSyntheticDataset(a, options);
    await generateSyntheticDataset(b, options);
    const [filesA, filesB] = [await filesOf(a), await filesOf(b)];
    expect([...filesA.keys()]).toEqual([...filesB.keys()]);
    for (const [name, bytes] of filesA) expect(bytes.equals(filesB.get(name)!), name).toBe(true);
  });

  it("gives different images for a different seed", async () => {
    const [a, b] = [await temp(), await temp()];
    await generateSyntheticDataset(a, { perClass: { train: 1, validation: 0, test: 0 }, seed: 1 });
    await generateSyntheticDataset(b, { perClass: { train: 1, validation: 0, test: 0 }, seed: 2 });
    const path = "train/happy/synthetic_00000.png";
    expect((await readFile(join(a, path))).equals(await readFile(join(b, path)))).toBe(false);
  });

  it("keeps the train images unchanged when only the test count changes", async () => {
    const [a, b] = [await temp(), await temp()];
    await generateSyntheticDataset(a, { perClass: { train: 2, validation: 1, test: 1 }, seed: 3 });
    await generateSyntheticDataset(b, { perClass: { train: 2, validation: 1, test: 3 }, seed: 3 });
    const path = "train/neutral/synthetic_00001.png";
    expect((await readFile(join(a, path))).equals(await readFile(join(b, path)))).toBe(true);
  });

  it("draws all seven FER-2013 expressions", async () => {
    const out = await temp();
    await generateSyntheticDataset(out, { perClass: { train: 1, validation: 0, test: 0 }, classes: FER2013_CLASSES, seed: 4 });
    expect((await readdir(join(out, "train"))).sort()).toEqual([...FER2013_CLASSES].sort());
  });

  it("makes happy and sad mean faces differ most in the mouth region", async () => {
    const out = await temp();
    await generateSyntheticDataset(out, { perClass: { train: 150, validation: 0, test: 0 }, classes: ["happy", "sad"], seed: 7 });
    const happy = await normalisedMeanFace(join(out, "train/happy"));
    const sad = await normalisedMeanFace(join(out, "train/sad"));
    // The mouth sits near rows 28-34 of 48; elsewhere the faces differ only by chance (random
    // backgrounds, hair, lighting), which averages out.
    const mouth = meanAbsDifference(happy, sad, [28, 34], [14, 34]);
    const whole = meanAbsDifference(happy, sad, [0, 48], [0, 48]);
    expect(mouth).toBeGreaterThan(1.6 * whole);
  });

  it("refuses a non-empty output folder without overwrite", async () => {
    const out = await temp();
    await mkdir(out, { recursive: true });
    await writeFile(join(out, "keep.txt"), "x");
    const options = { perClass: { train: 1, validation: 0, test: 0 }, seed: 1 };
    await expect(generateSyntheticDataset(out, options)).rejects.toThrow(ConfigError);
    await expect(generateSyntheticDataset(out, options)).rejects.toThrow(`Output folder ${out} is not empty`);
  });

  it("replaces a non-empty output folder with overwrite", async () => {
    const out = await temp();
    await mkdir(out, { recursive: true });
    await writeFile(join(out, "old.txt"), "x");
    await generateSyntheticDataset(out, { perClass: { train: 1, validation: 0, test: 0 }, seed: 1, overwrite: true });
    expect((await readdir(out)).sort()).toEqual([SYNTHETIC_MARKER_FILE, "test", "train", "validation"]);
  });

  it("rejects an unknown class and names the known ones", async () => {
    const run = generateSyntheticDataset(await temp(), { perClass: { train: 1, validation: 1, test: 1 }, classes: ["smug"], seed: 1 });
    await expect(run).rejects.toThrow('Unknown class "smug" for synthetic faces; known: neutral, happy');
  });

  it("rejects a negative or fractional count and names the split", async () => {
    const run = generateSyntheticDataset(await temp(), { perClass: { train: 1, validation: -1, test: 1 }, seed: 1 });
    await expect(run).rejects.toThrow("Synthetic perClass.validation is -1");
  });

  it("rejects counts that ask for no image at all", async () => {
    const run = generateSyntheticDataset(await temp(), { perClass: { train: 0, validation: 0, test: 0 }, seed: 1 });
    await expect(run).rejects.toThrow("Synthetic perClass is 0 for every split");
  });
});
