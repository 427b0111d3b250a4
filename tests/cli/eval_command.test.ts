import { beforeAll, describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { callCli } from "../in_process_cli.ts";
import { constantRun, fourClassTestSet } from "../experiment/experiment_fixtures.ts";

let results = "", runId = "", root = "";

beforeAll(async () => {
  ({ resultsRoot: results, runId } = await constantRun());
  root = await fourClassTestSet();
});

function cli(...args: string[]) {
  return callCli(args, { FER_RESULTS: results, FER_CACHE: join(results, "cache") });
}

describe("fer eval --classes", () => {
  it("scores a 7-class run on a 4-class dataset, says so, and keeps it in evaluations.json apart from the unrestricted evaluation", async () => {
    const restricted = await cli("eval", runId, root, "--split", "test", "--classes", "happy,sad,surprise,neutral", "--backend", "wasm");
    expect(restricted.code).toBe(0);
    expect(restricted.out).toContain("restricted to happy, sad, surprise, neutral of the run's 7 classes");
    // The constant model's restricted answer is sad for all 20 images: 5 right.
    expect(restricted.out).toMatch(/test +n=20 accuracy 0\.250 /);
    const plain = await cli("eval", runId, root, "--split", "test", "--backend", "wasm");
    expect(plain.code).toBe(0);
    expect(plain.out).not.toContain("restricted to");
    const saved = JSON.parse(await readFile(join(results, "runs", runId, "evaluations.json"), "utf8"));
    expect(saved.evaluations).toHaveLength(2);
    expect(saved.evaluations[0].classes).toEqual(["happy", "sad", "surprise", "neutral"]);
    expect(saved.evaluations[0].runClassCount).toBe(7);
    expect(saved.evaluations[0].splits.test.predictedCounts).toEqual([0, 20, 0, 0]);
    expect(saved.evaluations[1].classes).toBeUndefined();
    const compare = await cli("compare", runId, "--no-images", "--out", join(results, "cmp"));
    expect(compare.out.split("\n").filter((line) => line.includes("four_classes") && line.includes("4 of 7 classes"))).toHaveLength(1);
  });

  it("keeps the predictions in the score cache: the same evaluation again reads them, to the same figures", async () => {
    const first = await cli("eval", runId, root, "--split", "test", "--classes", "sad,happy", "--backend", "wasm");
    expect(first.code).toBe(0);
    expect(first.err).not.toContain("score cache");
    const again = await cli("eval", runId, root, "--split", "test", "--classes", "sad,happy", "--backend", "wasm");
    expect(again.code).toBe(0);
    expect(again.err).toContain(`Predictions read from the score cache (${join(results, "cache", "predictions")})`);
    expect(again.out).toBe(first.out);
    // Other views are other predictions.
    const flipped = await cli("eval", runId, root, "--split", "test", "--classes", "sad,happy", "--tta", "flip", "--backend", "wasm");
    expect(flipped.err).not.toContain("score cache");
  });

  it("names the run's classes for a class it does not have, and refuses a single class or a repeated one", async () => {
    const unknown = await cli("eval", runId, root, "--classes", "happy,contempt", "--backend", "wasm");
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('Class "contempt" is not among the outputs of run');
    expect(unknown.err).toContain("(angry, disgust, fear, happy, neutral, sad, surprise); restrict the evaluation to some of the run's classes, e.g. --classes angry,disgust");
    const single = await cli("eval", runId, root, "--classes", "happy", "--backend", "wasm");
    expect(single.code).toBe(1);
    expect(single.err).toContain('Option --classes names only "happy"; a restricted evaluation needs at least 2 of the run\'s classes');
    const repeated = await cli("eval", runId, root, "--classes", "happy,sad,happy", "--backend", "wasm");
    expect(repeated.code).toBe(1);
    expect(repeated.err).toContain('Option --classes names "happy" twice');
  });

  it("refuses --classes with --detect", async () => {
    const { code, err } = await cli("eval", runId, root, "--classes", "happy,sad", "--detect", "--backend", "wasm");
    expect(code).toBe(1);
    expect(err).toContain("Options --classes and --detect do not combine");
  });
});

describe("fer eval --classes naming every class of the run, in its order", () => {
  it("is a plain evaluation: the same entry of evaluations.json as without --classes", async () => {
    expect((await cli("eval", runId, root, "--split", "test", "--backend", "wasm")).code).toBe(0);
    const all = "angry,disgust,fear,happy,neutral,sad,surprise";
    const { code, out } = await cli("eval", runId, root, "--split", "test", "--classes", all, "--backend", "wasm");
    expect(code).toBe(0);
    expect(out).not.toContain("restricted to");
    const saved = JSON.parse(await readFile(join(results, "runs", runId, "evaluations.json"), "utf8"));
    expect(saved.evaluations.filter((e: { classes?: string[] }) => e.classes === undefined)).toHaveLength(1);
  });
});
