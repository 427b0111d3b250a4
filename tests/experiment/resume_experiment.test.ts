import { beforeAll, describe, expect, it } from "vitest";
import { cp, mkdtemp, readdir, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateSyntheticDataset } from "../../src/data/synthetic_faces.ts";
import { parseRunConfig, type RunConfig } from "../../src/experiment/run_config.ts";
import type { RunContext } from "../../src/experiment/run_context.ts";
import { resumeExperiment, runExperiment } from "../../src/experiment/run_experiment.ts";
import { appendHistory, readHistory, readRunJson, type RunHandle, runPath, runState, writeRunJson } from "../../src/experiment/run_store.ts";
import type { RunMetrics } from "../../src/experiment/run_metrics.ts";
import type { RunManifest } from "../../src/experiment/run_manifest.ts";
import { compareMetrics } from "../../src/experiment/compare_metrics.ts";
import { Callback } from "../../src/train/callback.ts";
import { tinyLayersBackbone } from "../transfer/tiny_backbones.ts";
import { selectBackend } from "../../src/backend/select_backend.ts";

let dataRoot = "";
beforeAll(async () => {
  // The tiny transfer backbone is built before any run starts a backend.
  await selectBackend("wasm");
  dataRoot = join(await mkdtemp(join(tmpdir(), "fer-resume-data-")), "synthetic");
  await generateSyntheticDataset(dataRoot, { perClass: { train: 24, validation: 8, test: 8 }, seed: 5 });
});

const EPOCHS = 4;

/** Everything a resumed run must carry over: augmentation and mixup draws, seeded dropout, Adam, a plateau schedule, a weight average. */
function config(root = dataRoot, extra: Record<string, unknown> = {}): RunConfig {
  return parseRunConfig({
    name: "resumable",
    seed: 3,
    backend: "wasm",
    dataset: { root, size: 24, augmentation: { horizontalFlip: true, rotationDegrees: 10, erasing: { probability: 0.5 } } },
    model: { family: "vgg_like", filters: [4, 8], denseUnits: 8 },
    training: {
      epochs: EPOCHS,
      batchSize: 16,
      schedule: { name: "reduce_on_plateau", monitor: "val_loss", patience: 1 },
      mix: { name: "mixup", alpha: 0.4 },
      weightAverage: { decay: 0.9 },
    },
    ...extra,
  });
}

function context(resultsRoot: string, extra: Partial<RunContext> = {}): RunContext & { logs: string[] } {
  const logs: string[] = [];
  return { projectRoot: ".", resultsRoot, cacheDir: null, log: (line) => logs.push(line), write: () => {}, interactive: false, imagePlots: false, logs, ...extra };
}

/** A run of `cfg` stopped by Ctrl-C (the abort signal) once its second epoch is done. */
async function interruptedRun(cfg: RunConfig, resultsRoot: string): Promise<RunHandle> {
  const controller = new AbortController();
  class StopAfterSecondEpoch extends Callback {
    override onEpochEnd(epoch: number) {
      if (epoch === 1) controller.abort();
    }
  }
  const ctx = context(resultsRoot, { signal: controller.signal, callbacks: [new StopAfterSecondEpoch()] });
  const { run, stopReason } = await runExperiment(cfg, ctx);
  expect(stopReason).toBe("interrupted");
  return run;
}

const withoutSeconds = (rows: Record<string, number>[]) => rows.map(({ seconds: _, ...rest }) => rest);

/** A resumed run ends as the run trained in one go: history but for seconds, every metric, the weights' bytes, the same files (the checkpoint gone). */
async function expectSameRun(run: RunHandle, straight: RunHandle): Promise<void> {
  expect(withoutSeconds(await readHistory(run))).toEqual(withoutSeconds(await readHistory(straight)));
  const a = await readRunJson<RunMetrics>(straight, "metrics");
  const b = await readRunJson<RunMetrics>(run, "metrics");
  expect(compareMetrics(a!, b!).filter((m) => !m.match)).toEqual([]);
  const weights = async (r: RunHandle) => await readFile(join(r.dir, "model", "weights.bin"));
  expect(Buffer.compare(await weights(run), await weights(straight))).toBe(0);
  expect((await readdir(run.dir)).sort()).toEqual((await readdir(straight.dir)).sort());
}

describe("resumeExperiment", () => {
  it("ends an interrupted run as the run that never stopped: the same history, metrics and weights", async () => {
    const results = await mkdtemp(join(tmpdir(), "fer-resume-"));
    const straight = await runExperiment(config(), context(results));
    const run = await interruptedRun(config(), results);
    expect(await readHistory(run)).toHaveLength(2);
    const before = await readRunJson<RunManifest>(run, "manifest");
    expect((await runState(run, before)).note).toContain(`deno task fer resume ${run.id}`);

    const ctx = context(results);
    const outcome = await resumeExperiment(run.id, ctx);
    expect(outcome.stopReason).toBe("completed");
    expect(outcome.manifest.status).toBe("completed");
    expect(ctx.logs).toContain(`Resuming run ${run.id} (interrupted) after epoch 2 of ${EPOCHS}, in ${run.dir}`);
    await expectSameRun(run, straight.run);
    // The manifest says what happened.
    const after = await readRunJson<RunManifest>(run, "manifest");
    expect(after!.startedAt).toBe(before!.startedAt);
    expect(after!.resumes).toEqual([expect.objectContaining({ fromEpoch: 2, after: "interrupted", backend: "wasm (float32)" })]);
    expect(after!.durations.trainSeconds).toBeGreaterThan(0);
    await expect(resumeExperiment(run.id, ctx)).rejects.toThrow(/completed; there is nothing to resume/);
  });

  for (const mode of ["frozen", "fine_tune"] as const) {
    it(`ends an interrupted transfer run (${mode}) as the run that never stopped${mode === "fine_tune" ? ", without warming the head up again" : ""}`, async () => {
      const results = await mkdtemp(join(tmpdir(), "fer-resume-"));
      const transfer = config(dataRoot, {
        model: {
          family: "transfer", backbone: await tinyLayersBackbone(), mode, head: { hiddenUnits: [8], dropout: 0.3 },
          ...(mode === "fine_tune" && { unfreezeLast: 1, headWarmupEpochs: 1 }),
        },
        // Frozen features are computed once: no augmentation (the fine-tuning keeps the base config's).
        ...(mode === "frozen" && { dataset: { root: dataRoot, size: 24 } }),
        training: { epochs: EPOCHS, batchSize: 16, schedule: { name: "reduce_on_plateau", monitor: "val_loss", patience: 1 } },
      });
      const straight = await runExperiment(transfer, context(results));
      const run = await interruptedRun(transfer, results);
      expect(await readHistory(run)).toHaveLength(2);
      const ctx = context(results);
      const outcome = await resumeExperiment(run.id, ctx);
      expect(outcome.manifest.status).toBe("completed");
      if (mode === "fine_tune") {
        expect(ctx.logs).toContain("Head warm-up: done before the checkpoint");
        expect(ctx.logs.some((line) => line.startsWith("Head warm-up: 1 epochs"))).toBe(false);
      }
      await expectSameRun(run, straight.run);
    });
  }

  it("drops epochs written after the checkpoint (a crash between the two) and trains them again", async () => {
    const results = await mkdtemp(join(tmpdir(), "fer-resume-"));
    const run = await interruptedRun(config(), results);
    const rows = await readHistory(run);
    await appendHistory(run, { ...rows[1], epoch: 3 });
    // A process that died while running: the run is stale.
    const manifest = await readRunJson<RunManifest>(run, "manifest");
    await writeRunJson(run, "manifest", { ...manifest, status: "running", finishedAt: null, process: { pid: 2 ** 22 + 12345, host: manifest!.process!.host } });
    expect((await runState(run, await readRunJson<RunManifest>(run, "manifest"))).status).toBe("stale");
    const outcome = await resumeExperiment(run.id, context(results));
    expect(outcome.manifest.status).toBe("completed");
    expect(outcome.manifest.resumes?.[0]).toMatchObject({ fromEpoch: 2, after: "stale" });
    expect((await readHistory(run)).map((r) => r.epoch)).toEqual([1, 2, 3, 4]);
  });

  it("refuses, saying what to do, a run it cannot go on with, and leaves the run as it was", async () => {
    const results = await mkdtemp(join(tmpdir(), "fer-resume-"));
    const run = await interruptedRun(config(), results);
    const ctx = context(results);
    const manifest = await readRunJson<RunManifest>(run, "manifest");

    await expect(resumeExperiment("no-such-run", ctx)).rejects.toThrow(/No run "no-such-run"/);

    await writeRunJson(run, "manifest", { ...manifest, status: "running", process: { pid: process.pid, host: manifest!.process!.host } });
    await expect(resumeExperiment(run.id, ctx)).rejects.toThrow(/is still running \(process \d+/);
    await writeRunJson(run, "manifest", manifest);

    const configText = await readFile(runPath(run, "config"), "utf8");
    await writeFile(runPath(run, "config"), configText.replace('"epochs": 4', '"epochs": 6'));
    await expect(resumeExperiment(run.id, ctx)).rejects.toThrow(/config.json differs from the config the run recorded[\s\S]*training.epochs/);
    await writeFile(runPath(run, "config"), configText);

    const checkpoint = await readFile(runPath(run, "checkpoint"));
    await truncate(runPath(run, "checkpoint"), checkpoint.length - 4);
    await expect(resumeExperiment(run.id, ctx)).rejects.toThrow(/checkpoint.bin is not a usable training checkpoint: .*; train it again as a new run with: deno task fer rerun/);
    await rm(runPath(run, "checkpoint"));
    await expect(resumeExperiment(run.id, ctx)).rejects.toThrow(/has no checkpoint.bin: it stopped before its first epoch ended/);
    await writeFile(runPath(run, "checkpoint"), checkpoint);

    // Nothing was touched by the refusals: the run still resumes.
    expect(await readRunJson<RunManifest>(run, "manifest")).toEqual(manifest);
    expect((await resumeExperiment(run.id, ctx)).manifest.status).toBe("completed");
  });

  it("refuses when the dataset changed since the run began", async () => {
    const results = await mkdtemp(join(tmpdir(), "fer-resume-"));
    const copy = join(await mkdtemp(join(tmpdir(), "fer-resume-copy-")), "data");
    await cp(dataRoot, copy, { recursive: true });
    const run = await interruptedRun(config(copy), results);
    const folder = join(copy, "train", "happy");
    await rm(join(folder, (await readdir(folder))[0]));
    await expect(resumeExperiment(run.id, context(results))).rejects.toThrow(/has changed since run .* began \(fingerprint/);
    expect((await readRunJson<RunManifest>(run, "manifest"))?.status).toBe("interrupted");
  });
});
