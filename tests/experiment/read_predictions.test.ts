import { describe, expect, it } from "vitest";
import { writeFile } from "node:fs/promises";
import { ConfigError } from "../../src/core/errors.ts";
import { runPath } from "../../src/experiment/run_store.ts";
import { readPredictions } from "../../src/experiment/read_predictions.ts";
import { tempDir, writeFakeRun } from "../notebook/notebook_fixtures.ts";

describe("readPredictions", () => {
  it("reads back what the run store wrote, per split, with probabilities by class", async () => {
    const { run } = await writeFakeRun(await tempDir("pred"), {
      datasetRoot: "/data",
      predictions: [{ path: "test/happy/1.png", trueLabel: 0, pHappy: 0.25 }],
    });
    const rows = await readPredictions(run);
    expect(rows).toEqual([
      {
        path: "test/happy/1.png",
        split: "validation",
        trueClass: "happy",
        predictedClass: "sad",
        probabilities: { happy: 0.25, sad: 0.75 },
      },
      { path: "test/happy/1.png", split: "test", trueClass: "happy", predictedClass: "sad", probabilities: { happy: 0.25, sad: 0.75 } },
    ]);
  });

  it("unquotes paths holding commas and quotes", async () => {
    const { run } = await writeFakeRun(await tempDir("pred"), {
      datasetRoot: "/data",
      predictions: [{ path: 'test/sad/a,"b".png', trueLabel: 1, pHappy: 0.1, split: "test" }],
    });
    expect((await readPredictions(run))[0].path).toBe('test/sad/a,"b".png');
  });

  it("says how to check the run when predictions.csv is missing", async () => {
    const root = await tempDir("pred");
    const { run } = await writeFakeRun(root, { datasetRoot: "/data", predictions: [] });
    await Deno.remove(runPath(run, "predictions"));
    await expect(readPredictions(run)).rejects.toThrow(ConfigError);
    await expect(readPredictions(run)).rejects.toThrow(`Run ${run.id} has no predictions.csv`);
  });

  it("rejects a file whose header is not the run store's", async () => {
    const { run } = await writeFakeRun(await tempDir("pred"), { datasetRoot: "/data", predictions: [] });
    await writeFile(runPath(run, "predictions"), "file,label\nx,1\n");
    await expect(readPredictions(run)).rejects.toThrow('starts with "file,label"; expected path,split,true,predicted,p_<class>...');
  });
});
