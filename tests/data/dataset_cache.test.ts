import { describe, expect, it } from "vitest";
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DATASET_CACHE_FORMAT, datasetCache, type DatasetCacheEntry } from "../../src/data/dataset_cache.ts";
import { makeImageSet } from "../../src/data/image_set.ts";

const FINGERPRINT = "ab".repeat(32);
const shape = { height: 2, width: 2, channels: 1 };

function entry(): DatasetCacheEntry {
  return {
    fingerprint: FINGERPRINT,
    classes: ["happy", "sad"],
    decode: { size: 2, channels: 1, equalize: false },
    splits: {
      train: makeImageSet({ pixels: Uint8Array.from({ length: 8 }, (_, i) => i), labels: Uint8Array.of(0, 1), paths: ["train/happy/a.png", "train/sad/b.png"] }, shape),
      test: makeImageSet({ pixels: Uint8Array.of(9, 9, 9, 9), labels: Uint8Array.of(1), paths: ["test/sad/c.png"] }, shape),
    },
    unreadable: [{ path: "train/happy/bad.png", reason: "Input buffer contains unsupported image format" }],
  };
}

async function written(): Promise<{ dir: string; path: string }> {
  const dir = await mkdtemp(join(tmpdir(), "fer-cache-"));
  const cache = datasetCache(dir);
  await cache.write(entry());
  return { dir, path: cache.pathFor(FINGERPRINT) };
}

describe("datasetCache", () => {
  it("reads back what it wrote", async () => {
    const { dir } = await written();
    const found = await datasetCache(dir).read(FINGERPRINT);
    expect(found.status).toBe("hit");
    if (found.status !== "hit") return;
    const original = entry();
    expect(found.entry.classes).toEqual(original.classes);
    expect(found.entry.decode).toEqual(original.decode);
    expect(found.entry.unreadable).toEqual(original.unreadable);
    expect(found.entry.splits.validation).toBeUndefined();
    for (const split of ["train", "test"] as const) {
      const got = found.entry.splits[split]!;
      const want = original.splits[split]!;
      expect(Array.from(got.pixels)).toEqual(Array.from(want.pixels));
      expect(Array.from(got.labels)).toEqual(Array.from(want.labels));
      expect(got.paths).toEqual(want.paths);
      expect([got.count, got.height, got.width, got.channels]).toEqual([want.count, 2, 2, 1]);
    }
  });

  it("names the file after the fingerprint and leaves no temporary file", async () => {
    const { dir } = await written();
    expect(await readdir(dir)).toEqual([`${FINGERPRINT}.fercache`]);
  });

  it("reports a missing file as missing", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fer-cache-"));
    expect(await datasetCache(dir).read(FINGERPRINT)).toEqual({ status: "missing" });
  });

  it("detects a truncated file", async () => {
    const { dir, path } = await written();
    const bytes = await readFile(path);
    await writeFile(path, bytes.subarray(0, bytes.length - 3));
    const found = await datasetCache(dir).read(FINGERPRINT);
    expect(found).toEqual({ status: "invalid", reason: "Cache holds 9 pixel bytes; its header says 12" });
  });

  it("detects a file truncated inside its header", async () => {
    const { dir, path } = await written();
    await writeFile(path, (await readFile(path)).subarray(0, 40));
    expect(await datasetCache(dir).read(FINGERPRINT)).toEqual({ status: "invalid", reason: "Cache file is truncated inside its header" });
  });

  it("detects a changed pixel byte through the checksum", async () => {
    const { dir, path } = await written();
    const bytes = new Uint8Array(await readFile(path));
    bytes[bytes.length - 1] ^= 0xff;
    await writeFile(path, bytes);
    expect(await datasetCache(dir).read(FINGERPRINT)).toEqual({ status: "invalid", reason: "Cache pixels do not match their checksum" });
  });

  it("detects a file that is not a cache file", async () => {
    const { dir, path } = await written();
    await writeFile(path, "not a cache");
    expect(await datasetCache(dir).read(FINGERPRINT)).toEqual({ status: "invalid", reason: "Cache file does not start with the FERCACHE tag" });
  });

  it("detects a file of another format version", async () => {
    const { dir, path } = await written();
    const bytes = new Uint8Array(await readFile(path));
    new DataView(bytes.buffer).setUint32(8, DATASET_CACHE_FORMAT + 1, true);
    await writeFile(path, bytes);
    expect(await datasetCache(dir).read(FINGERPRINT)).toEqual({ status: "invalid", reason: `Cache format ${DATASET_CACHE_FORMAT + 1} is not ${DATASET_CACHE_FORMAT}` });
  });

  it("detects a file holding another fingerprint", async () => {
    const { dir, path } = await written();
    const other = "cd".repeat(32);
    await writeFile(join(dir, `${other}.fercache`), await readFile(path));
    const found = await datasetCache(dir).read(other);
    expect(found).toEqual({ status: "invalid", reason: `Cache holds fingerprint ${FINGERPRINT}, not ${other}` });
  });
});
