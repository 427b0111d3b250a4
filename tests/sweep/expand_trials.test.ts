import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/errors.ts";
import { describeParams, expandSettings, expandTrials, isEnsembleTrial, type SweepTrial } from "../../src/sweep/expand_trials.ts";
import type { RunConfig } from "../../src/experiment/run_config.ts";
import { readSweepFile } from "../../src/sweep/read_sweep_file.ts";
import { parseSweepConfig } from "../../src/sweep/sweep_config.ts";

const base = { name: "cnn", model: { family: "small_cnn" }, training: { epochs: 1 } };
const sweep = (extra: Record<string, unknown>) => parseSweepConfig({ kind: "sweep", name: "s", base, ...extra }, "test.json");

/** A trial's run config (the trials of a run base). */
function runConfig(trial: SweepTrial): RunConfig {
  if (isEnsembleTrial(trial.config)) throw new Error(`${trial.key} is an ensemble trial`);
  return trial.config;
}

describe("parseSweepConfig", () => {
  it("fills in defaults", () => {
    const s = sweep({});
    expect(s.seeds).toEqual([42]);
    expect(s.retries).toBe(1);
    expect(s.resources).toEqual({ cpus: 1, gpus: 0 });
  });

  it("names a parameter with no or two ways to vary and lists the allowed ones", () => {
    expect(() => sweep({ parameters: { "training.epochs": { grid: [1], choice: [2] } } })).toThrow(
      /parameters\.training\.epochs: found "grid", "choice"; give exactly one of "grid", "choice", "uniform", "logUniform"/,
    );
  });

  it("asks for a budget when a parameter is drawn at random", () => {
    expect(() => sweep({ parameters: { "training.optimizer.learningRate": { logUniform: [1e-4, 1e-2] } } })).toThrow(/samples: missing;.*"samples": 8/);
  });

  it("rejects a budget with nothing drawn at random", () => {
    expect(() => sweep({ parameters: { "training.epochs": { grid: [1] } }, samples: 3 })).toThrow(/samples: found 3 but no parameter is drawn at random/);
  });

  it("rejects a reversed range, a seed given twice and the reserved seed path", () => {
    expect(() => sweep({ parameters: { x: { uniform: [2, 1] } }, samples: 1 })).toThrow(/expected \[low, high\] with low < high/);
    expect(() => sweep({ seeds: [1, 1] })).toThrow(/seeds: found \[1,1\]; each seed once/);
    expect(() => sweep({ parameters: { seed: { grid: [1, 2] } } })).toThrow(/use "seeds" for seeds/);
  });

  it("names unknown top-level fields", () => {
    expect(() => sweep({ seed: 3 })).toThrow(ConfigError);
    expect(() => sweep({ seed: 3 })).toThrow(/unknown field "seed"/);
  });
});

describe("expandTrials", () => {
  it("crosses the grid and runs each setting once per seed, seed by seed", () => {
    const s = sweep({ parameters: { "training.epochs": { grid: [1, 2] }, "model.denseUnits": { grid: [8, 16] } }, seeds: [1, 2] });
    const trials = expandTrials(s, base);
    expect(trials.map((t) => t.key)).toEqual([
      "t001-seed1", "t002-seed1", "t003-seed1", "t004-seed1", "t001-seed2", "t002-seed2", "t003-seed2", "t004-seed2",
    ]);
    expect(runConfig(trials[3]).training.epochs).toBe(2);
    expect((runConfig(trials[3]).model as { denseUnits?: number }).denseUnits).toBe(16);
    expect(trials[4].config.seed).toBe(2);
    expect(trials[4].config.name).toBe("s-t001-seed2");
  });

  it("creates missing parent objects and keeps the base untouched", () => {
    const trials = expandTrials(sweep({ parameters: { "training.optimizer.learningRate": { grid: [0.01] } } }), base);
    expect(runConfig(trials[0]).training.optimizer).toMatchObject({ name: "adam", learningRate: 0.01 });
    expect(base.training).toEqual({ epochs: 1 });
  });

  it("names the trial and the field when a value is invalid for the run config", () => {
    expect(() => expandTrials(sweep({ parameters: { "training.epochs": { grid: [1, 0] } } }), base)).toThrow(
      /sweep s, trial t002-seed42 \(training\.epochs=0\)[\s\S]*training\.epochs/,
    );
  });

  it("names a path that runs through a value that is not an object", () => {
    expect(() => expandTrials(sweep({ parameters: { "training.epochs.x": { grid: [1] } } }), base)).toThrow(
      /goes through training\.epochs, which is 1 in the base config/,
    );
  });

  it("expands an ensemble base into ensemble trials, validated as ensemble configs; refuses any other kind", () => {
    const ensembleBase = { kind: "ensemble", name: "e", members: [{ run: "r1" }, { config: { name: "m", model: { family: "small_cnn" } } }] };
    const trials = expandTrials(
      sweep({ parameters: { combiner: { grid: ["soft_vote", "log_linear_pool"] }, "members.1.config.training.epochs": { grid: [3] } }, seeds: [1, 2] }),
      ensembleBase,
    );
    expect(trials.map((t) => t.key)).toEqual(["t001-seed1", "t002-seed1", "t001-seed2", "t002-seed2"]);
    for (const trial of trials) {
      if (!isEnsembleTrial(trial.config)) throw new Error(`${trial.key} is not an ensemble trial`);
      expect(trial.config).toMatchObject({ kind: "ensemble", name: `s-${trial.key}`, seed: trial.seed, fitting: { folds: 5 } });
      expect(trial.config.members[1]).toMatchObject({ config: { name: "m", training: { epochs: 3 } } });
    }
    expect(trials.map((t) => isEnsembleTrial(t.config) && t.config.combiner)).toEqual(["soft_vote", "log_linear_pool", "soft_vote", "log_linear_pool"]);
    expect(() => expandTrials(sweep({ parameters: { combiner: { grid: ["median"] } } }), ensembleBase)).toThrow(/sweep s, trial t001-seed42 \(combiner=\W?median\W?\)[\s\S]*combiner/);
    expect(() => expandTrials(sweep({}), { kind: "sweep", name: "e" })).toThrow(/a sweep varies a run config \(one model, no "kind"\) or an ensemble config/);
  });
});

describe("expandSettings", () => {
  it("draws random parameters reproducibly from samplerSeed, within their ranges, per grid point", () => {
    const spec = {
      parameters: { "model.denseUnits": { grid: [8, 16] }, lr: { logUniform: [1e-4, 1e-2] }, opt: { choice: ["adam", "sgd"] } },
      samples: 3,
      samplerSeed: 7,
    };
    const a = expandSettings(sweep(spec));
    expect(a).toHaveLength(6);
    expect(expandSettings(sweep(spec))).toEqual(a);
    expect(expandSettings(sweep({ ...spec, samplerSeed: 8 }))).not.toEqual(a);
    for (const s of a) {
      expect(s.lr as number).toBeGreaterThanOrEqual(1e-4);
      expect(s.lr as number).toBeLessThan(1e-2);
      expect(["adam", "sgd"]).toContain(s.opt);
    }
    expect(a.slice(0, 3).every((s) => s["model.denseUnits"] === 8)).toBe(true);
  });

  it("crosses explicit settings with the grid", () => {
    const settings = expandSettings(sweep({ settings: [{ a: 1, b: 2 }, { a: 3, b: 4 }], parameters: { c: { grid: [5, 6] } } }));
    expect(settings).toEqual([{ a: 1, b: 2, c: 5 }, { a: 1, b: 2, c: 6 }, { a: 3, b: 4, c: 5 }, { a: 3, b: 4, c: 6 }]);
  });

  it("describes a setting in short text", () => {
    expect(describeParams({})).toBe("(base config)");
    expect(describeParams({ "training.optimizer.name": "sgd", lr: 0.00123456 })).toBe('training.optimizer.name="sgd" lr=0.001235');
  });
});

describe("experiments/sweep_smoke.json", () => {
  it("is a 2 x 2 grid over 2 seeds of tiny valid trials, named after its file", async () => {
    const { sweep, base: smokeBase } = await readSweepFile("experiments/sweep_smoke.json", ".");
    expect(sweep.name).toBe("sweep_smoke");
    const trials = expandTrials(sweep, smokeBase);
    expect(trials).toHaveLength(8);
    for (const trial of trials) {
      expect(runConfig(trial).training.epochs).toBe(1);
      expect(runConfig(trial).dataset.limitPerSplit?.train).toBeLessThanOrEqual(128);
    }
  });

  it("is refused by readSweepFile when it is not a sweep", async () => {
    await expect(readSweepFile("experiments/small_cnn.json", ".")).rejects.toThrow(/is not a sweep config: it needs "kind": "sweep"/);
  });
});
