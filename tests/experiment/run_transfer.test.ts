/**
 * runTransfer is driven through runExperiment (tests/experiment/run_experiment.test.ts
 * covers frozen, fine_tune, pretrained and the collapse check on synthetic faces);
 * here, the packaged classifier on the real dataset, as a check that the input
 * adapter feeds a face-domain network what it expects.
 */
import { describe, expect, it } from "vitest";
import { parseRunConfig } from "../../src/experiment/run_config.ts";
import { runExperiment } from "../../src/experiment/run_experiment.ts";
import { readRunJson } from "../../src/experiment/run_store.ts";
import type { TransferRunMetrics } from "../../src/experiment/run_metrics.ts";
import { tempDir } from "../transfer/transfer_fixtures.ts";

describe.runIf(process.env.FER_REAL_DATA)("runTransfer on the real dataset", () => {
  it("scores face-api's packaged expression classifier well above chance, without collapse", async () => {
    const config = parseRunConfig({
      name: "baseline_real",
      backend: "auto",
      dataset: { root: process.env.FER_REAL_DATA, evalBlurSigma: 0, limitPerSplit: { train: 4, validation: 600 } },
      model: { family: "transfer", backbone: "face_api_expression", mode: "pretrained" },
    });
    const { run } = await runExperiment(config, {
      projectRoot: ".",
      resultsRoot: await tempDir("real-transfer"),
      cacheDir: await tempDir("real-transfer-cache"),
      log: () => {},
      write: () => {},
      interactive: false,
      imagePlots: false,
    });
    const metrics = await readRunJson<TransferRunMetrics>(run, "metrics");
    // Measured: validation 0.717 on all 2570 images, test 0.820 on its 128; chance is about 0.25.
    expect(metrics!.validation.accuracy).toBeGreaterThan(0.6);
    expect(metrics!.test!.accuracy).toBeGreaterThan(0.7);
    expect(metrics!.warnings).toEqual([]);
  });
});
