import { beforeAll, describe, expect, it } from "vitest";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateSyntheticDataset } from "../../src/data/synthetic_faces.ts";
import { loadDataset } from "../../src/data/load_dataset.ts";

let dir = "", full = "", testOnly = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fer-splits-"));
  full = join(dir, "full");
  await generateSyntheticDataset(full, { perClass: { train: 3, validation: 2, test: 2 }, size: 24, seed: 3 });
  testOnly = join(dir, "test_only");
  await cp(full, testOnly, { recursive: true });
  await rm(join(testOnly, "train"), { recursive: true });
  await rm(join(testOnly, "validation"), { recursive: true });
});

describe("loadDataset with splits", () => {
  it("loads only the test split of a root without train/", async () => {
    const dataset = await loadDataset(testOnly, { decode: { size: 24 }, splits: ["test"] });
    expect(dataset.splits.test?.count).toBe(8);
    expect(dataset.splits.train.count).toBe(0);
    expect(dataset.splits.validation.count).toBe(0);
  });

  it("still requires train when no splits are named (training)", async () => {
    await expect(loadDataset(testOnly, { decode: { size: 24 } })).rejects.toThrow("has no readable image under train/");
  });

  it("reads train to split validation from it when validation is asked for and has no folder", async () => {
    const noValidation = join(dir, "no_validation");
    await cp(full, noValidation, { recursive: true });
    await rm(join(noValidation, "validation"), { recursive: true });
    const dataset = await loadDataset(noValidation, { decode: { size: 24 }, splits: ["validation"], validationFraction: 0.34 });
    expect(dataset.validationSource).toBe("split_from_train");
    expect(dataset.splits.validation.count).toBe(4);
    expect(dataset.splits.test).toBeUndefined();
  });
});
