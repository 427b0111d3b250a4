import { describe, expect, it } from "vitest";
import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { backendFacts, cachedScores, type ScoreRequest, scoreCache, scoresKey, scoresThroughCache } from "../../src/experiment/score_cache.ts";

const images = { paths: ["validation/happy/1.png", "validation/sad/2.png"], height: 48, width: 48, channels: 1 };

describe("scoresKey", () => {
  it("changes with every fact that changes the scores, and with nothing else", () => {
    const digest = "a".repeat(64);
    const base: ScoreRequest = { images, preprocessing: "scale_0_1", tta: null, scoredWith: { dataset: "d1", backend: "tensorflow" } };
    const key = scoresKey("predictions", digest, base);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(scoresKey("predictions", digest, { ...base })).toBe(key);
    expect(scoresKey("predictions", digest, { ...base, blurSigma: 0 })).toBe(key); // no blur is no blur
    const others = [
      scoresKey("predictions", "b".repeat(64), base),
      scoresKey("predictions", digest, { ...base, images: { ...images, paths: [...images.paths].reverse() } }),
      scoresKey("predictions", digest, { ...base, images: { ...images, height: 40, width: 40 } }),
      scoresKey("predictions", digest, { ...base, preprocessing: "standardize" }),
      scoresKey("predictions", digest, { ...base, blurSigma: 1 }),
      scoresKey("predictions", digest, { ...base, tta: { horizontalFlip: true, shifts: [], crops: null } }),
      scoresKey("predictions", digest, { ...base, scoredWith: { dataset: "d2", backend: "tensorflow" } }),
      scoresKey("predictions", digest, { ...base, scoredWith: { dataset: "d1", backend: "wasm" } }),
      scoresKey("teachers", digest, base),
    ];
    expect(new Set([key, ...others]).size).toBe(others.length + 1);
  });

  it("separates the backends, precisions and package versions scores were computed with", () => {
    type Backend = Parameters<typeof backendFacts>[0];
    const tensorflow: Backend = {
      name: "tensorflow",
      precision: { requested: "float32", used: "float32", note: "float32 throughout" },
      version: { tfjs: "4.22.0", tensorflow: "2.18.0" },
    };
    const key = (backend: Backend) =>
      scoresKey("predictions", "a".repeat(64), { images, preprocessing: "scale_0_1", tta: null, scoredWith: { dataset: "d1", ...backendFacts(backend) } });
    const keys = [
      key(tensorflow),
      key({ ...tensorflow, precision: { requested: "bf16", used: "bf16", note: "bf16 math" } }),
      key({ ...tensorflow, version: { tfjs: "4.22.0", tensorflow: "2.19.0" } }),
      key({ ...tensorflow, name: "wasm" }),
    ];
    expect(new Set(keys).size).toBe(4);
    expect(key(tensorflow)).toBe(keys[0]);
  });
});

describe("scoresThroughCache", () => {
  const rows = () => [Float32Array.of(0.25, 0.75), Float32Array.of(0.5, 0.5)];

  it("scores on a miss and stores the rows; reads them back without scoring; says when an entry is damaged", async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), "fer-score-cache-"));
    const cache = scoreCache(cacheDir, "predictions")!;
    const lines: string[] = [];
    let calls = 0;
    const score = () => Promise.resolve((calls++, rows()));
    const where = { cache, key: "k".repeat(64), rows: 2, columns: 2, name: "Member r, validation", log: (line: string) => lines.push(line) };
    expect(await scoresThroughCache(where, score)).toEqual({ rows: rows(), cached: false });
    expect(await readdir(join(cacheDir, "predictions"))).toEqual([`${"k".repeat(64)}.ferfeats`]);
    expect(await scoresThroughCache(where, score)).toEqual({ rows: rows(), cached: true });
    expect(calls).toBe(1);
    // Another shape under the same key (another model's classes) is not these scores.
    expect(await cachedScores(cache, where.key, 2, 3)).toBeNull();
    await writeFile(cache.pathFor(where.key), "damaged");
    expect(await scoresThroughCache(where, score)).toEqual({ rows: rows(), cached: false });
    expect(calls).toBe(2);
    expect(lines).toEqual([expect.stringMatching(/^Member r, validation: cached scores unusable \(.+\); scoring again$/)]);
    expect(await scoresThroughCache(where, score)).toMatchObject({ cached: true });
  });

  it("only scores without a cache or a key, and says when the rows cannot be stored", async () => {
    let calls = 0;
    const score = () => Promise.resolve((calls++, rows()));
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    expect(await scoresThroughCache({ cache: null, key: "k", rows: 2, columns: 2, name: "x", log }, score)).toMatchObject({ cached: false });
    const cacheDir = await mkdtemp(join(tmpdir(), "fer-score-cache-"));
    expect(await scoresThroughCache({ cache: scoreCache(cacheDir, "predictions"), key: null, rows: 2, columns: 2, name: "x", log }, score))
      .toMatchObject({ cached: false });
    // A file where the cache's folder would be: the scores are used, and not cached.
    await writeFile(join(cacheDir, "teachers"), "not a folder");
    const blocked = { cache: scoreCache(cacheDir, "teachers"), key: "k".repeat(64), rows: 2, columns: 2, name: "Teacher t", log };
    expect(await scoresThroughCache(blocked, score)).toEqual({ rows: rows(), cached: false });
    expect(calls).toBe(3);
    expect(lines).toEqual([expect.stringMatching(/^Teacher t: scores not cached \(.+\)$/)]);
    expect(scoreCache(null, "teachers")).toBeNull();
  });
});
