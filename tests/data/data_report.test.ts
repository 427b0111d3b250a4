import { beforeAll, describe, expect, it } from "vitest";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import sharp from "sharp";
import { type DataReport, dataReport } from "../../src/data/data_report.ts";
import { decodeImage } from "../../src/data/decode_image.ts";
import { formatDataReport } from "../../src/data/format_data_report.ts";
import { ConfigError, DatasetError } from "../../src/core/errors.ts";
import { makeRng } from "../../src/core/seed.ts";

/** A smooth random 'face-like' pattern: a few Gaussian blobs on a gray ground. */
function pattern(seed: number, size = 48): Uint8Array {
  const rng = makeRng(seed);
  const blobs = Array.from({ length: 12 }, () => ({
    x: rng.uniform(0, size), y: rng.uniform(0, size), s: rng.uniform(3, 10), a: rng.uniform(-90, 90),
  }));
  const out = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let v = 128;
      for (const b of blobs) v += b.a * Math.exp(-((x - b.x) ** 2 + (y - b.y) ** 2) / (2 * b.s * b.s));
      out[y * size + x] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
  return out;
}

async function png(pixels: Uint8Array, size = 48, channels: 1 | 3 = 1): Promise<Uint8Array> {
  const image = sharp(pixels, { raw: { width: size, height: size, channels } });
  return new Uint8Array(await (channels === 1 ? image.toColourspace("b-w") : image).png().toBuffer());
}

async function put(root: string, path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), bytes);
}

function brightenedShifted(gray: Uint8Array): Uint8Array {
  const out = new Uint8Array(gray.length);
  for (let y = 0; y < 48; y++) {
    for (let x = 0; x < 48; x++) out[y * 48 + x] = Math.min(255, gray[y * 48 + Math.max(0, x - 1)] + 10);
  }
  return out;
}

describe("dataReport on a small dataset with one of each problem", () => {
  let root: string;
  let outDir: string;
  let report: DataReport;
  const p1 = pattern(8);
  const p2 = pattern(2);

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "fer-report-"));
    outDir = join(root, "..", `${root.split("/").pop()}-out`);
    const p1png = await png(p1);
    const p2png = await png(p2);
    const p3png = await png(pattern(3));
    await put(root, "train/happy/p1.png", p1png);
    await put(root, "train/happy/p1_copy.png", p1png);
    await put(root, "train/happy/p2.png", p2png);
    await put(root, "train/sad/p2_relabelled.png", p2png);
    await put(root, "train/sad/p5.png", await png(pattern(5)));
    await put(root, "train/sad/blank.png", await png(new Uint8Array(48 * 48).fill(128)));
    await put(root, "train/sad/big.png", await png(pattern(6, 64), 64));
    const rgb = new Uint8Array(48 * 48 * 3);
    pattern(7).forEach((v, i) => rgb.fill(v, 3 * i, 3 * i + 3));
    await put(root, "train/sad/rgb.png", await png(rgb, 48, 3));
    await put(root, "train/sad/corrupt.png", p1png.subarray(0, 60));
    await put(root, "validation/happy/p3.png", p3png);
    await put(root, "test/happy/p3_same.png", p3png);
    await put(root, "test/sad/p1_brighter.png", await png(brightenedShifted(p1)));
    await put(root, "test/sad/p4.png", await png(pattern(4)));
    report = await dataReport(root, { outDir });
  });

  it("counts files per split and class", () => {
    expect(report.counts).toEqual({
      train: { happy: 3, sad: 6, surprise: 0, neutral: 0 },
      validation: { happy: 1, sad: 0, surprise: 0, neutral: 0 },
      test: { happy: 1, sad: 2, surprise: 0, neutral: 0 },
    });
    expect(report.total).toBe(13);
  });

  it("lists a corrupt file as unreadable with a reason", () => {
    expect(report.unreadable.map((u) => u.path)).toEqual(["train/sad/corrupt.png"]);
    expect(report.unreadable[0].reason.length).toBeGreaterThan(0);
  });

  it("lists a wrong-size image and a three-channel image as non-standard", () => {
    expect(report.nonStandard).toEqual([
      { path: "train/sad/big.png", width: 64, height: 64, channels: 1, format: "png" },
      { path: "train/sad/rgb.png", width: 48, height: 48, channels: 3, format: "png" },
    ]);
  });

  it("finds a blank image and nothing else as blank", () => {
    expect(report.blank).toEqual([{ path: "train/sad/blank.png", std: 0 }]);
  });

  it("counts redundant exact copies within each split", () => {
    expect(report.exactDuplicates.withinSplit).toEqual({
      train: { groups: 2, files: 4, redundantCopies: 2 },
      validation: { groups: 0, files: 0, redundantCopies: 0 },
      test: { groups: 0, files: 0, redundantCopies: 0 },
    });
    expect(report.exactDuplicates.redundantCopies).toBe(2);
  });

  it("reports the same image under two labels", () => {
    expect(report.exactDuplicates.crossLabel).toEqual([["train/happy/p2.png", "train/sad/p2_relabelled.png"]]);
  });

  it("reports an exact copy across splits separately from within-split copies", () => {
    expect(report.exactDuplicates.acrossSplits).toEqual([["test/happy/p3_same.png", "validation/happy/p3.png"]]);
  });

  it("finds a brightened, shifted copy in test as a near duplicate of both train copies", () => {
    const pairs = report.nearDuplicates.filter((p) => p.b === "test/sad/p1_brighter.png");
    expect(pairs.map((p) => p.a)).toEqual(["train/happy/p1.png", "train/happy/p1_copy.png"]);
    expect(pairs[0].distance).toBeGreaterThan(0);
    expect(pairs[0].distance).toBeLessThanOrEqual(6);
  });

  it("does not flag a different face or list exact copies as near duplicates", () => {
    const paths = report.nearDuplicates.flatMap((p) => [p.a, p.b]);
    expect(paths).not.toContain("test/sad/p4.png");
    expect(report.nearDuplicates.some((p) => p.a === "validation/happy/p3.png" && p.b === "test/happy/p3_same.png"))
      .toBe(false);
  });

  it("averages the train images of a class into its mean face", () => {
    const happy = report.meanFaces[0];
    expect(happy.className).toBe("happy");
    expect(happy.images).toBe(3);
    const expected = Array.from(p1, (v, i) => (2 * v + p2[i]) / 3);
    expect(Math.max(...happy.pixels.map((v, i) => Math.abs(v - expected[i])))).toBeLessThan(1e-3);
    expect(report.meanFaces[2]).toMatchObject({ className: "surprise", images: 0 });
  });

  it("writes report.json, report.md, an offline counts.html and a mean-face strip", async () => {
    const json = JSON.parse(await readFile(join(outDir, "report.json"), "utf8"));
    expect(json.exactDuplicates.redundantCopies).toBe(2);
    expect(json.meanFaces[0]).toEqual({ className: "happy", images: 3 });
    const md = await readFile(join(outDir, "report.md"), "utf8");
    expect(md).toContain("| train      |     3 |   6 |        0 |       0 |     9 |");
    expect(md).toContain("train/happy/p2.png = train/sad/p2_relabelled.png");
    expect(md).toContain("Left to right: happy (3 images), sad (5 images), surprise (0 images), neutral (0 images)");
    const html = await readFile(join(outDir, "counts.html"), "utf8");
    expect(html).toContain('"name":"train"');
    expect(html).not.toMatch(/<script[^>]*src=/);
    const strip = await sharp(await readFile(join(outDir, "mean_faces.png"))).metadata();
    expect([strip.width, strip.height, strip.channels]).toEqual([4 * 48, 48, 1]);
    const tiles = await decodeImage(await readFile(join(outDir, "mean_faces.png")), { size: 48 });
    expect(tiles.length).toBe(48 * 48);
  });

  it("leaves near duplicates out at a threshold below their distance", async () => {
    const strict = await dataReport(root, { hammingThreshold: 0 });
    expect(strict.nearDuplicates).toEqual([]);
  });

  it("summarises the checks as a table for the terminal", () => {
    const text = formatDataReport(report);
    expect(text).toMatch(/\| same image under two labels: groups\s+\|\s+1 \|/);
    expect(text).not.toContain("## Blank images");
    // test/sad/p1_brighter.png is a near copy of a train image; p3_same copies validation, not train.
    expect(text).toMatch(/\| test images with an exact or near copy in train \(left out of the leak-free figures\)\s+\|\s+1 of 3 \|/);
    expect(text).toMatch(/\| validation images with an exact or near copy in train[^|]*\|\s+0 of 1 \|/);
  });
});

describe("dataReport sharpness", () => {
  it("flags splits whose sharpness differs, as when one split was blurred", async () => {
    const root = await mkdtemp(join(tmpdir(), "fer-report-blur-"));
    for (let i = 0; i < 4; i++) {
      const sharpBytes = await png(pattern(20 + i).map((v, k) => (v + ((k * 37) % 50)) & 255));
      await put(root, `train/happy/${i}.png`, sharpBytes);
      await put(root, `validation/happy/${i}.png`, new Uint8Array(await sharp(sharpBytes).blur(2).toColourspace("b-w").png().toBuffer()));
    }
    const report = await dataReport(root);
    expect(report.sharpness.perSplit.train!.median).toBeGreaterThan(1.5 * report.sharpness.perSplit.validation!.median);
    expect(report.sharpness.shifted).toBe(true);
  });

  it("does not flag splits drawn alike", async () => {
    const root = await mkdtemp(join(tmpdir(), "fer-report-same-"));
    for (let i = 0; i < 4; i++) {
      await put(root, `train/happy/${i}.png`, await png(pattern(30 + i)));
      await put(root, `validation/happy/${i}.png`, await png(pattern(40 + i)));
    }
    expect((await dataReport(root)).sharpness.shifted).toBe(false);
  });
});

describe("dataReport errors", () => {
  it("fails with a DatasetError when the root is missing", async () => {
    await expect(dataReport("/no/such/dataset")).rejects.toThrow(DatasetError);
  });

  it("fails with a ConfigError naming hammingThreshold when it is outside 0-64", async () => {
    await expect(dataReport("/no/such/dataset", { hammingThreshold: 65 })).rejects.toThrow(ConfigError);
    await expect(dataReport("/no/such/dataset", { hammingThreshold: 65 })).rejects.toThrow("hammingThreshold");
  });
});

describe.runIf(process.env.FER_REAL_DATA)("dataReport on the real dataset", () => {
  let report: DataReport;
  beforeAll(async () => {
    report = await dataReport(process.env.FER_REAL_DATA!);
  }, 300_000);

  it("counts 17,805 images, all 48x48 grayscale and readable", () => {
    expect(report.total).toBe(17805);
    expect(report.unreadable).toEqual([]);
    expect(report.nonStandard).toEqual([]);
  });

  it("finds 670 redundant exact copies within splits: train 654, validation 16, test 0", () => {
    expect(report.exactDuplicates.redundantCopies).toBe(670);
    expect(report.exactDuplicates.withinSplit.train?.redundantCopies).toBe(654);
    expect(report.exactDuplicates.withinSplit.validation?.redundantCopies).toBe(16);
    expect(report.exactDuplicates.withinSplit.test?.redundantCopies).toBe(0);
    expect(report.exactDuplicates.withinSplit.train?.groups).toBe(561);
  });

  it("finds the 162 groups of byte-identical files that span train and validation, none in test", () => {
    const groups = report.exactDuplicates.acrossSplits;
    expect(groups.length).toBe(162);
    const files = groups.flat();
    expect(files.filter((path) => path.startsWith("validation/")).length).toBe(169);
    expect(files.some((path) => path.startsWith("test/"))).toBe(false);
    expect(groups.every((group) => group.some((path) => path.startsWith("train/")))).toBe(true);
  });

  it("finds the four groups of one image under two labels, two of them across splits", () => {
    expect(report.exactDuplicates.crossLabel).toEqual([
      ["train/neutral/Training_20860064.jpg", "train/sad/Training_78533904.jpg"],
      ["train/neutral/Training_64154751.jpg", "validation/sad/PublicTest_376099.jpg"],
      ["train/neutral/Training_7776648.jpg", "validation/happy/PublicTest_64945856.jpg"],
      ["train/neutral/Training_89335926.jpg", "train/surprise/Training_48403842.jpg"],
    ]);
  });

  it("finds the three blank train images: two all black, one almost uniform gray", () => {
    expect(report.blank.map((b) => b.path)).toEqual([
      "train/neutral/Training_3542668.jpg",
      "train/neutral/Training_89335926.jpg",
      "train/surprise/Training_48403842.jpg",
    ]);
  });

  it("finds train as sharp as validation and test (the corrected, unblurred train split)", () => {
    expect(report.sharpness.shifted).toBe(false);
    const { train, validation, test } = report.sharpness.perSplit;
    expect(train!.median / validation!.median).toBeGreaterThan(0.9);
    expect(train!.median / validation!.median).toBeLessThan(1.1);
    expect(test!.median / validation!.median).toBeGreaterThan(0.9);
  });

  it("counts the validation and test images with an exact or near copy in train, as the leak-free figures leave out", () => {
    const text = formatDataReport(report);
    expect(text).toMatch(/\| validation images with an exact or near copy in train[^|]*\|\s+297 of 2570 \|/);
    expect(text).toMatch(/\| test images with an exact or near copy in train[^|]*\|\s+14 of 128 \|/);
  });

  it("finds near duplicates across splits, the closest at distance 0", () => {
    expect(report.nearDuplicates.length).toBeGreaterThan(100);
    expect(report.nearDuplicates[0].distance).toBe(0);
  });
});
