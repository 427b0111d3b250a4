import { beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli.ts";
import { generateSyntheticDataset } from "../../src/data/synthetic_faces.ts";

let dataRoot = "", configPath = "", results = "";

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), "fer-cli-"));
  dataRoot = join(dir, "synthetic");
  results = join(dir, "results");
  await generateSyntheticDataset(dataRoot, { perClass: { train: 16, validation: 6, test: 6 }, seed: 3 });
  configPath = join(dir, "tiny.json");
  await writeFile(configPath, JSON.stringify({
    name: "tiny",
    seed: 1,
    backend: "wasm",
    dataset: { root: dataRoot, size: 24 },
    model: { family: "small_cnn", filters: [4, 8], denseUnits: 8 },
    training: { epochs: 2, batchSize: 16 },
  }));
});

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "", err = "";
  const code = await main(args, { out: (t) => (out += t), err: (t) => (err += t), env: { FER_RESULTS: results, FER_CACHE: join(results, "..", "cache") } });
  return { code, out, err };
}

describe("experiment commands", () => {
  let runId = "";

  it("run trains, saves the run and prints the headline numbers", async () => {
    const { code, out, err } = await cli("run", configPath, "--no-images");
    expect(code).toBe(0);
    expect(err).toContain("Backend wasm");
    expect(out).toMatch(/Run \S+: completed \(SYNTHETIC data\)/);
    expect(out).toMatch(/validation n=24 accuracy \d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\]/);
    runId = (await readdir(join(results, "runs")))[0];
  });

  it("rerun reports an exact match for every metric", async () => {
    const { code, out } = await cli("rerun", runId, "--no-images");
    expect(out).toMatch(/(\d+) of \1 metrics match exactly/);
    expect(code).toBe(0);
  });

  it("list, show and compare read the saved runs", async () => {
    expect((await cli("list")).out.split("\n").filter((l) => l.includes("small_cnn"))).toHaveLength(2);
    expect((await cli("show", runId)).out).toContain("model small_cnn  seed 1  backend wasm");
    const compare = await cli("compare", "--no-images");
    expect(compare.code).toBe(0);
    expect(compare.out).toContain("val acc [95% CI]");
    expect((await readdir(join(results, "compare"))).sort()).toEqual(["comparison.csv", "comparison.html", "comparison.md"]);
  });

  it("eval runs a saved model on a dataset and prints JSON on request", async () => {
    const { code, out } = await cli("eval", runId, dataRoot, "--split", "test", "--json", "--backend", "wasm");
    expect(code).toBe(0);
    const result = JSON.parse(out);
    expect(result.synthetic).toBe(true);
    expect(result.splits.test.count).toBe(24);
  });

  it("says which split is missing in eval", async () => {
    const { code, err } = await cli("eval", runId, dataRoot, "--split", "holdout", "--backend", "wasm");
    expect(code).toBe(1);
    expect(err).toContain('Split "holdout" is not in');
  });

  it("names the bad field of an invalid config override", async () => {
    const { code, err } = await cli("run", configPath, "--backend", "cuda");
    expect(code).toBe(1);
    expect(err).toContain("backend: value not allowed");
  });

  it("says how to list runs for an unknown run id", async () => {
    const { code, err } = await cli("show", "no-such-run");
    expect(code).toBe(1);
    expect(err).toContain("deno task fer list");
  });
});
