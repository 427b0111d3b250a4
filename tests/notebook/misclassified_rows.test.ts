import { beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { DatasetError } from "../../src/core/errors.ts";
import { misclassifiedRows } from "../../src/notebook/misclassified_rows.ts";
import type { MisclassifiedGroup } from "../../src/notebook/select_misclassified.ts";
import { tempDir, writeGrayPng } from "./notebook_fixtures.ts";

let root = "";
beforeAll(async () => {
  root = await tempDir("mis");
  await writeGrayPng(join(root, "test/sad/1.png"), 77, 8);
});

const group = (path: string): MisclassifiedGroup => ({
  trueClass: "sad",
  total: 4,
  wrong: 1,
  examples: [{ path, split: "test", trueClass: "sad", predictedClass: "happy", probabilities: { happy: 0.874, sad: 0.126 } }],
});

describe("misclassifiedRows", () => {
  it("labels each row with the class and its error count, and each image with the prediction", async () => {
    const [row] = await misclassifiedRows([group("test/sad/1.png")], { datasetRoot: root, size: 8 });
    expect(row.label).toBe("sad\n1/4 wrong");
    expect(row.tiles[0].caption).toBe("-> happy 87%");
  });

  it("decodes each image at the requested size", async () => {
    const [row] = await misclassifiedRows([group("test/sad/1.png")], { datasetRoot: root, size: 4 });
    expect(row.tiles[0].pixels).toHaveLength(16);
    expect(row.tiles[0].pixels[5]).toBe(77);
  });

  it("keeps a class without mistakes as an empty row", async () => {
    const rows = await misclassifiedRows([{ trueClass: "happy", total: 4, wrong: 0, examples: [] }], { datasetRoot: root });
    expect(rows).toEqual([{ label: "happy\n0/4 wrong", tiles: [] }]);
  });

  it("says which root to pass when an image is not under it", async () => {
    await expect(misclassifiedRows([group("test/sad/2.png")], { datasetRoot: root })).rejects.toThrow(DatasetError);
    await expect(misclassifiedRows([group("test/sad/2.png")], { datasetRoot: root })).rejects.toThrow(
      `Image test/sad/2.png of the predictions is not under ${root}; pass the run's dataset root (manifest dataset.root)`,
    );
  });
});
