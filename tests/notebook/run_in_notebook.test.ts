import { beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { generateSyntheticDataset } from "../../src/data/synthetic_faces.ts";
import { parseRunConfig } from "../../src/experiment/run_config.ts";
import { readRunJson } from "../../src/experiment/run_store.ts";
import type { RunManifest } from "../../src/experiment/run_manifest.ts";
import { notebookSitting, resumeInNotebook, runInNotebook } from "../../src/notebook/run_in_notebook.ts";
import { Callback } from "../../src/train/callback.ts";
import { recordingDisplay, tempDir } from "./notebook_fixtures.ts";

let dataRoot = "";
beforeAll(async () => {
  dataRoot = join(await tempDir("run-data"), "synthetic");
  await generateSyntheticDataset(dataRoot, { perClass: { train: 8, validation: 4, test: 4 }, seed: 3 });
});

const config = (extra: Record<string, unknown> = {}) =>
  parseRunConfig({
    name: "tiny",
    seed: 1,
    backend: "wasm",
    dataset: { root: dataRoot, size: 16 },
    model: { family: "small_cnn", filters: [4], denseUnits: 4 },
    training: { epochs: 2, batchSize: 16 },
    ...extra,
  });

describe("runInNotebook", () => {
  it("trains and saves the run, showing its log in one updated output and live curves in another", async () => {
    const { display, calls } = recordingDisplay();
    const resultsRoot = await tempDir("run-results");
    const outcome = await runInNotebook(config(), { projectRoot: ".", resultsRoot, cacheDir: null }, { display, imagePlots: false });
    expect(outcome.manifest.status).toBe("completed");
    expect((await readRunJson<RunManifest>(outcome.run, "manifest"))?.status).toBe("completed");
    const ids = [...new Set(calls.map((c) => c.target?.display_id))];
    expect(ids).toHaveLength(2);
    expect(ids.filter((id) => String(id).endsWith("-curves"))).toHaveLength(1);
    const curves = calls.filter((c) => String(c.target?.display_id).endsWith("-curves"));
    expect(curves).toHaveLength(2); // one update per epoch
    const logs = calls.filter((c) => String(c.target?.display_id).endsWith("-log"));
    const last = String(logs.at(-1)?.bundle["text/plain"]);
    expect(last).toContain(`Run ${outcome.run.id}`);
    expect(last).toMatch(/epoch 1\/2 loss [0-9.]+ acc [0-9.]+ val_loss/);
    expect(last).toMatch(/epoch 2\/2 loss/);
  });

  it("rethrows the run's own error after showing what was logged", async () => {
    const { display, calls } = recordingDisplay();
    const bad = config({ dataset: { root: join(dataRoot, "missing"), size: 16 } });
    await expect(runInNotebook(bad, { projectRoot: ".", resultsRoot: await tempDir("run-results"), cacheDir: null }, { display })).rejects
      .toThrow("missing");
    expect(String(calls.at(-1)?.bundle["text/plain"])).toContain("missing");
  });

  it("stops a run after an epoch (stopAfterEpochs), and resumes it in one updated output", async () => {
    const paths = { projectRoot: ".", resultsRoot: await tempDir("run-results"), cacheDir: null };
    await expect(runInNotebook(config(), paths, { display: recordingDisplay().display, stopAfterEpochs: 0 })).rejects.toThrow(/stopAfterEpochs is 0/);
    const ended: number[] = [];
    class Record extends Callback {
      override onEpochEnd(epoch: number) {
        ended.push(epoch);
      }
    }
    const stopped = await runInNotebook(config(), paths, {
      display: recordingDisplay().display, imagePlots: false, stopAfterEpochs: 1, callbacks: [new Record()],
    });
    expect(ended).toEqual([0]); // the caller's callbacks run too
    expect(stopped.manifest.status).toBe("interrupted");
    // A sitting that would train nothing is refused before the run is touched.
    await expect(resumeInNotebook(stopped.run.id, paths, { display: recordingDisplay().display, stopAfterEpochs: 1 })).rejects
      .toThrow(/has finished 1 of its 2 epochs; stopAfterEpochs 1 would train none more/);
    const { display, calls } = recordingDisplay();
    const resumed = await resumeInNotebook(stopped.run.id, paths, { display, imagePlots: false });
    expect(resumed.manifest.status).toBe("completed");
    expect(resumed.manifest.resumes?.map((r) => r.fromEpoch)).toEqual([1]);
    const last = String(calls.filter((c) => String(c.target?.display_id).endsWith("-log")).at(-1)?.bundle["text/plain"]);
    expect(last).toContain(`Resuming run ${stopped.run.id} (interrupted) after epoch 1 of 2`);
    expect(last).toMatch(/epoch 2\/2 loss/);
    // The live curves go on from the saved epoch: two points after the one resumed epoch.
    const curves = calls.filter((c) => String(c.target?.display_id).endsWith("-curves")).at(-1)!;
    const figure = curves.bundle["application/vnd.plotly.v1+json"] as { data: { x: number[] }[] };
    expect(figure.data[0].x).toEqual([1, 2]);
  });

  it("stops a run at the end of the epoch after which the next would end past timeBudgetSeconds, and says how to go on", async () => {
    const paths = { projectRoot: ".", resultsRoot: await tempDir("run-results"), cacheDir: null };
    await expect(runInNotebook(config(), paths, { display: recordingDisplay().display, timeBudgetSeconds: 0 })).rejects
      .toThrow(/timeBudgetSeconds is 0 s/);
    const { display, calls } = recordingDisplay();
    // A budget far below an epoch: the first epoch is never cut, and the sitting ends after it.
    const stopped = await runInNotebook(config(), paths, { display, imagePlots: false, timeBudgetSeconds: 0.001 });
    expect(stopped.manifest.status).toBe("interrupted");
    const last = String(calls.filter((c) => String(c.target?.display_id).endsWith("-log")).at(-1)?.bundle["text/plain"]);
    expect(last).toMatch(/Sitting over: stopped after epoch 1: \d+s of the 0s time budget used/);
    expect(last).toContain(`resumeInNotebook("${stopped.run.id}", params) goes on with it`);

    // The same config run again starts a new run, and its log says which stopped run it could go on with.
    const again = recordingDisplay();
    const fresh = await runInNotebook(config(), paths, { display: again.display, imagePlots: false, stopAfterEpochs: 1 });
    expect(fresh.run.id).not.toBe(stopped.run.id);
    const log = String(again.calls.filter((c) => String(c.target?.display_id).endsWith("-log")).at(-1)?.bundle["text/plain"]);
    expect(log).toContain(
      `Note: run ${stopped.run.id} of this config and seed stopped after epoch 1 of 2 with its checkpoint; this starts a new run from its first epoch. ` +
        `To go on with that one instead, stop this one and use: resumeInNotebook("${stopped.run.id}", params)`,
    );
  });

  it("takes a clock time (until) as a sitting's end, the sooner of it and timeBudgetSeconds, and refuses one already past", async () => {
    const now = new Date("2026-12-06T07:00:00Z");
    expect(notebookSitting({}, now)).toBeNull();
    expect(notebookSitting({ until: "2026-12-06T07:30Z" }, now)).toEqual({ afterEpoch: undefined, seconds: 1800, endsAt: "2026-12-06T07:30Z" });
    expect(notebookSitting({ until: "2026-12-06T07:30Z", timeBudgetSeconds: 600 }, now)).toMatchObject({ seconds: 600 });
    expect(notebookSitting({ until: "2026-12-06T07:30Z", timeBudgetSeconds: 3600, stopAfterEpochs: 4 }, now))
      .toEqual({ afterEpoch: 4, seconds: 1800, endsAt: "2026-12-06T07:30Z" });
    expect(() => notebookSitting({ until: "half past seven" }, now)).toThrow(/until half past seven is not a time/);
    const paths = { projectRoot: ".", resultsRoot: await tempDir("run-results"), cacheDir: null };
    await expect(runInNotebook(config(), paths, { display: recordingDisplay().display, until: "2020-01-01T00:00Z" })).rejects
      .toThrow("until 2020-01-01T00:00Z has passed; give a time to come");
  });
});
