import { describe, expect, it } from "vitest";
import { mkdir, mkdtemp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { zipSync } from "fflate";
import sharp from "sharp";
import { importDataset } from "../../src/data/import_dataset.ts";
import { generateSyntheticDataset } from "../../src/data/synthetic_faces.ts";
import { ConfigError, DatasetError } from "../../src/core/errors.ts";

async function tempDir(): Promise<string> {
  return await mkdtemp(join(tmpdir(), "fer-import-"));
}

async function grayPng(value: number): Promise<Uint8Array> {
  const pixels = new Uint8Array(48 * 48).map((_, i) => (value + i) % 256);
  return new Uint8Array(await sharp(pixels, { raw: { width: 48, height: 48, channels: 1 } }).png().toBuffer());
}

async function writeZip(entries: Record<string, Uint8Array>): Promise<string> {
  const path = join(await tempDir(), "faces.zip");
  await writeFile(path, zipSync(entries));
  return path;
}

async function exists(path: string): Promise<boolean> {
  return await stat(path).then(() => true, () => false);
}

const PIXELS = Array.from({ length: 2304 }, (_, i) => i % 256).join(" ");
const CSV_HEADER = "emotion,pixels,Usage";

async function writeCsv(lines: string[]): Promise<string> {
  const path = join(await tempDir(), "fer2013.csv");
  await writeFile(path, [CSV_HEADER, ...lines].join("\n") + "\n");
  return path;
}

describe("importDataset from a zip", () => {
  it("strips the wrapping folder, skips clutter and copies bytes unchanged", async () => {
    const happy = await grayPng(1);
    const zip = await writeZip({
      "Facial_emotion_images/train/happy/1.png": happy,
      "Facial_emotion_images/train/sad/2.png": await grayPng(2),
      "Facial_emotion_images/test/happy/3.png": await grayPng(3),
      "Facial_emotion_images/.DS_Store": new Uint8Array([0]),
      "__MACOSX/Facial_emotion_images/train/happy/._1.png": new Uint8Array([0]),
    });
    const out = join(await tempDir(), "faces");
    const summary = await importDataset(zip, { out });
    expect(summary).toMatchObject({ kind: "zip", prefix: "Facial_emotion_images/", total: 3, junk: 2, classes: ["happy", "sad"] });
    expect(summary.counts.train).toEqual({ happy: 1, sad: 1 });
    expect(summary.counts.test).toEqual({ happy: 1, sad: 0 });
    expect(new Uint8Array(await readFile(join(out, "train/happy/1.png")))).toEqual(happy);
    expect((await readdir(out)).sort()).toEqual(["test", "train"]);
  });

  it("keeps only the requested classes and counts the others", async () => {
    const zip = await writeZip({ "train/happy/1.png": await grayPng(1), "train/angry/2.png": await grayPng(2) });
    const summary = await importDataset(zip, { out: join(await tempDir(), "x"), classes: ["happy"] });
    expect(summary.skippedClasses).toEqual({ angry: 1 });
    expect(summary.total).toBe(1);
  });

  it("lists entries outside the layout as skipped", async () => {
    const zip = await writeZip({
      "data/train/happy/1.png": await grayPng(1),
      "data/train/happy/notes.txt": new Uint8Array([65]),
      "README.txt": new Uint8Array([65]),
    });
    const summary = await importDataset(zip, { out: join(await tempDir(), "x") });
    expect(summary.skippedEntries).toEqual([
      { path: "data/train/happy/notes.txt", reason: "not an image file" },
      { path: "README.txt", reason: "not at data/<train|validation|test>/<class>/<image> like the rest of the dataset" },
    ]);
  });

  it("refuses an entry with a .. segment (zip-slip) and writes nothing", async () => {
    const base = await tempDir();
    const zip = await writeZip({ "train/happy/1.png": await grayPng(1), "train/../../evil.png": await grayPng(2) });
    const out = join(base, "inner", "out");
    await expect(importDataset(zip, { out })).rejects.toThrow(DatasetError);
    await expect(importDataset(zip, { out })).rejects.toThrow('Entry "train/../../evil.png" points outside the output folder');
    expect(await exists(out)).toBe(false);
    expect(await exists(join(base, "evil.png"))).toBe(false);
  });

  it("refuses an entry with an absolute path", async () => {
    const zip = await writeZip({ "/tmp/train/happy/1.png": await grayPng(1) });
    await expect(importDataset(zip, { out: join(await tempDir(), "x") })).rejects.toThrow("absolute path");
  });

  it("fails with a DatasetError naming the expected layout when no image fits it", async () => {
    const zip = await writeZip({ "happy/1.png": await grayPng(1) });
    const run = importDataset(zip, { out: join(await tempDir(), "x") });
    await expect(run).rejects.toThrow("expected [wrapping folder/]<train|validation|test>/<class>/<image>");
  });

  it("fails with a DatasetError when the zip is corrupt", async () => {
    const path = join(await tempDir(), "broken.zip");
    await writeFile(path, new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]));
    await expect(importDataset(path, { out: join(await tempDir(), "x") })).rejects.toThrow(`Zip ${path} cannot be read`);
  });
});

describe("importDataset output folder", () => {
  it("refuses a non-empty output folder without overwrite", async () => {
    const zip = await writeZip({ "train/happy/1.png": await grayPng(1) });
    const out = await tempDir();
    await writeFile(join(out, "old.txt"), "x");
    await expect(importDataset(zip, { out })).rejects.toThrow(ConfigError);
    await expect(importDataset(zip, { out })).rejects.toThrow(`Output folder ${out} is not empty (1 entries)`);
  });

  it("replaces the contents of a non-empty output folder with overwrite (and force, for a non-dataset file)", async () => {
    const zip = await writeZip({ "train/happy/1.png": await grayPng(1) });
    const out = await tempDir();
    await writeFile(join(out, "old.txt"), "x");
    await importDataset(zip, { out, overwrite: true, force: true });
    expect(await readdir(out)).toEqual(["train"]);
  });

  it("refuses to overwrite a folder that contains the source", async () => {
    const zip = await writeZip({ "train/happy/1.png": await grayPng(1) });
    const out = join(zip, "..");
    await expect(importDataset(zip, { out, overwrite: true })).rejects.toThrow("overlap");
    expect(await exists(zip)).toBe(true);
  });
});

describe("importDataset from fer2013.csv", () => {
  it("writes each row as a 48x48 grayscale PNG with the row's pixels, named by usage and row", async () => {
    const csv = await writeCsv([`3,${PIXELS},Training`, `4,${PIXELS},PublicTest`, `6,${PIXELS},PrivateTest`]);
    const out = join(await tempDir(), "fer");
    const summary = await importDataset(csv, { out });
    expect(summary.kind).toBe("csv");
    expect(summary.counts.train.happy).toBe(1);
    expect(summary.counts.validation.sad).toBe(1);
    expect(summary.counts.test.neutral).toBe(1);
    const file = join(out, "validation/sad/PublicTest_1.png");
    const meta = await sharp(file).metadata();
    expect([meta.width, meta.height, meta.channels]).toEqual([48, 48, 1]);
    const data = await sharp(file).extractChannel(0).raw().toBuffer();
    expect(Array.from(data)).toEqual(PIXELS.split(" ").map(Number));
  });

  it("skips malformed rows and reports them by line number", async () => {
    const csv = await writeCsv([
      `3,${PIXELS},Training`,
      `3,1 2 3,Training`,
      `9,${PIXELS},Training`,
      `3,${PIXELS},Validation`,
      `3,${PIXELS.replace("5", "x")},Training`,
      `3,${PIXELS.replace("255", "256")},Training`,
    ]);
    const summary = await importDataset(csv, { out: join(await tempDir(), "fer") });
    expect(summary.total).toBe(1);
    expect(summary.malformedRows).toEqual([
      { line: 3, reason: "expected 2304 pixel values, found 3" },
      { line: 4, reason: 'unknown emotion "9"; expected 0-6' },
      { line: 5, reason: 'unknown Usage "Validation"; expected Training, PublicTest, PrivateTest' },
      { line: 6, reason: 'pixel value 6 has the character "x"; expected integers 0-255 separated by spaces' },
      { line: 7, reason: "pixel value 256 is above 255" },
    ]);
  });

  it("keeps only the requested classes and counts the others", async () => {
    const csv = await writeCsv([`3,${PIXELS},Training`, `0,${PIXELS},Training`, `0,${PIXELS},PublicTest`]);
    const summary = await importDataset(csv, { out: join(await tempDir(), "fer"), classes: ["happy", "sad"] });
    expect(summary.classes).toEqual(["happy", "sad"]);
    expect(summary.skippedClasses).toEqual({ angry: 2 });
    expect(summary.counts.train).toEqual({ happy: 1, sad: 0 });
  });

  it("rejects a class FER-2013 does not have and names the known ones", async () => {
    const csv = await writeCsv([`3,${PIXELS},Training`]);
    const run = importDataset(csv, { out: join(await tempDir(), "fer"), classes: ["smug"] });
    await expect(run).rejects.toThrow('Unknown class "smug" for fer2013.csv; known: angry, disgust');
  });

  it("fails with a DatasetError when the header lacks the pixels column", async () => {
    const path = join(await tempDir(), "other.csv");
    await writeFile(path, "emotion,Usage\n3,Training\n");
    await expect(importDataset(path, { out: join(await tempDir(), "fer") })).rejects.toThrow("expected the columns emotion, pixels and Usage");
  });
});

describe("importDataset from a folder", () => {
  it("copies a dataset folder", async () => {
    const source = await tempDir();
    await mkdir(join(source, "validation/neutral"), { recursive: true });
    await writeFile(join(source, "validation/neutral/a.png"), await grayPng(9));
    const out = join(await tempDir(), "copy");
    const summary = await importDataset(source, { out });
    expect(summary).toMatchObject({ kind: "folder", total: 1, classes: ["neutral"] });
    expect(await exists(join(out, "validation/neutral/a.png"))).toBe(true);
  });
});

describe("importDataset of a synthetic dataset", () => {
  it("copies the synthetic marker so the copy stays labelled synthetic", async () => {
    const source = join(await tempDir(), "synthetic");
    await generateSyntheticDataset(source, { perClass: { train: 1, validation: 0, test: 0 }, seed: 1 });
    const zip = await writeZip({
      "synthetic/SYNTHETIC.json": new Uint8Array(await readFile(join(source, "SYNTHETIC.json"))),
      "synthetic/train/happy/synthetic_00000.png": new Uint8Array(await readFile(join(source, "train/happy/synthetic_00000.png"))),
    });
    for (const from of [source, zip]) {
      const out = join(await tempDir(), "copy");
      const summary = await importDataset(from, { out });
      expect(summary.synthetic).toBe(true);
      expect(summary.skippedEntries).toEqual([]);
      expect(JSON.parse(await readFile(join(out, "SYNTHETIC.json"), "utf8")).synthetic).toBe(true);
    }
  });
});

describe("importDataset source checks", () => {
  it("fails with a DatasetError when the source does not exist", async () => {
    await expect(importDataset("/no/such/file.zip", { out: "/tmp/never" })).rejects.toThrow("Import source /no/such/file.zip does not exist");
  });

  it("fails with a DatasetError for a file that is neither zip nor csv", async () => {
    const path = join(await tempDir(), "faces.tar");
    await writeFile(path, "not a zip");
    await expect(importDataset(path, { out: join(await tempDir(), "x") })).rejects.toThrow("is neither a zip archive");
  });
});
