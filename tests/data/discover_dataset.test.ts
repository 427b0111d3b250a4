import { describe, expect, it } from "vitest";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { discoverDataset } from "../../src/data/discover_dataset.ts";
import { DatasetError } from "../../src/core/errors.ts";
import { FER2013_CLASSES } from "../../src/data/classes.ts";

async function makeTree(files: string[]): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "fer-discover-"));
  for (const file of files) {
    await mkdir(join(root, file, ".."), { recursive: true });
    await writeFile(join(root, file), "x");
  }
  return root;
}

describe("discoverDataset", () => {
  it("lists images per split with labels in the configured class order", async () => {
    const root = await makeTree(["train/sad/b.jpg", "train/happy/a.png", "test/happy/c.JPEG"]);
    const listing = await discoverDataset(root);
    expect(listing.classes).toEqual(["happy", "sad", "surprise", "neutral"]);
    expect(listing.splits.train).toEqual([
      { relativePath: "train/happy/a.png", label: 0 },
      { relativePath: "train/sad/b.jpg", label: 1 },
    ]);
    expect(listing.splits.test).toEqual([{ relativePath: "test/happy/c.JPEG", label: 0 }]);
    expect(listing.splits.validation).toBeUndefined();
  });

  it("skips and reports a class folder that is not in the class list", async () => {
    const root = await makeTree(["train/happy/a.jpg", "train/angry/x.jpg", "train/angry/y.jpg"]);
    const listing = await discoverDataset(root);
    expect(listing.skippedClassFolders).toEqual([{ path: "train/angry", files: 2 }]);
  });

  it("skips and reports files that are not images", async () => {
    const root = await makeTree(["train/happy/a.jpg", "train/happy/notes.txt"]);
    const listing = await discoverDataset(root);
    expect(listing.skippedFiles).toEqual(["train/happy/notes.txt"]);
  });

  it("accepts FER-2013's seven classes", async () => {
    const root = await makeTree(["train/angry/a.jpg", "train/neutral/b.jpg"]);
    const listing = await discoverDataset(root, { classes: FER2013_CLASSES });
    expect(listing.splits.train?.map((e) => e.label)).toEqual([0, 6]);
  });

  it("fails with a DatasetError naming the root when it is missing", async () => {
    await expect(discoverDataset("/no/such/root")).rejects.toThrow(DatasetError);
    await expect(discoverDataset("/no/such/root")).rejects.toThrow("Dataset root /no/such/root does not exist");
  });

  it("fails when no image of the classes is found", async () => {
    const root = await makeTree(["train/angry/a.jpg"]);
    await expect(discoverDataset(root)).rejects.toThrow("holds no image of the classes");
  });
});

describe.runIf(process.env.FER_REAL_DATA)("discoverDataset on the real dataset", () => {
  it("finds 15,107 / 2,570 / 128 images", async () => {
    const listing = await discoverDataset(process.env.FER_REAL_DATA!);
    expect(listing.splits.train?.length).toBe(15107);
    expect(listing.splits.validation?.length).toBe(2570);
    expect(listing.splits.test?.length).toBe(128);
  });
});
