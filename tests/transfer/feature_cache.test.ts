import { describe, expect, it } from "vitest";
import { readFile, writeFile } from "node:fs/promises";
import { featureCache, featureKey } from "../../src/transfer/feature_cache.ts";
import { tempDir } from "./transfer_fixtures.ts";

const matrix = { values: Float32Array.of(1.5, -2, 3.25, 0, 7, 8), rows: 3, columns: 2 };

describe("featureCache", () => {
  it("gives back exactly the matrix it stored", async () => {
    const cache = featureCache(await tempDir("features"));
    await cache.write("k1", matrix);
    const read = await cache.read("k1");
    expect(read.status).toBe("hit");
    if (read.status !== "hit") return;
    expect(read.entry.rows).toBe(3);
    expect(read.entry.columns).toBe(2);
    expect(Array.from(read.entry.values)).toEqual(Array.from(matrix.values));
  });

  it("answers missing for a key it has not stored", async () => {
    expect(await featureCache(await tempDir("features")).read("missing")).toEqual({ status: "missing" });
  });

  it("answers invalid, naming the checksum, when a stored value was altered on disk", async () => {
    const cache = featureCache(await tempDir("features"));
    await cache.write("k2", matrix);
    const bytes = await readFile(cache.pathFor("k2"));
    bytes[bytes.length - 1] ^= 0xff;
    await writeFile(cache.pathFor("k2"), bytes);
    expect(await cache.read("k2")).toEqual({ status: "invalid", reason: "Cache values do not match their checksum" });
  });

  it("answers invalid, naming both keys, for a file stored under another key", async () => {
    const cache = featureCache(await tempDir("features"));
    await cache.write("k3", matrix);
    await writeFile(cache.pathFor("k4"), await readFile(cache.pathFor("k3")));
    expect(await cache.read("k4")).toEqual({ status: "invalid", reason: "Cache holds key k3, not k4" });
  });

  it("refuses a matrix whose values do not fill rows x columns", async () => {
    const cache = featureCache(await tempDir("features"));
    await expect(cache.write("k5", { values: Float32Array.of(1, 2, 3), rows: 2, columns: 2 })).rejects.toThrow("3 values for 2 x 2");
  });
});

describe("featureKey", () => {
  it("is 64 hex digits and changes with any fact", () => {
    const base = { dataset: "a", backbone: "b", split: "train", blurSigma: 0 };
    expect(featureKey(base)).toMatch(/^[0-9a-f]{64}$/);
    expect(featureKey(base)).toBe(featureKey({ ...base }));
    expect(featureKey({ ...base, blurSigma: 4 })).not.toBe(featureKey(base));
  });
});
