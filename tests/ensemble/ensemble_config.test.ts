import { describe, expect, it } from "vitest";
import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../../src/core/errors.ts";
import { parseEnsembleConfig } from "../../src/ensemble/ensemble_config.ts";
import { parseExperimentConfig, readConfigFile } from "../../src/ensemble/read_config_file.ts";
import { configHash } from "../../src/core/config_hash.ts";

const base = { kind: "ensemble", name: "vote", members: [{ run: "20261124-000000-a-000000" }, { config: "experiments/small_cnn.json" }] };

describe("parseEnsembleConfig", () => {
  it("fills in the defaults", () => {
    const config = parseEnsembleConfig(base);
    expect(config.combiner).toBe("soft_vote");
    expect(config.seed).toBe(42);
    expect(config.backend).toBe("auto");
    expect(config.tta).toBeNull();
    expect(config.dataset).toBeNull();
    expect(config.fitting).toEqual({ folds: 5, l2: 1e-3, features: "log_probabilities" });
    expect(config.members).toEqual([{ run: "20261124-000000-a-000000" }, { config: "experiments/small_cnn.json" }]);
  });

  it("resolves an inline member config as a run config", () => {
    const config = parseEnsembleConfig({ ...base, members: [{ config: { name: "m", model: { family: "small_cnn" } }, tta: { horizontalFlip: true } }] });
    const [member] = config.members;
    expect("config" in member && typeof member.config === "object" && member.config.training.batchSize).toBe(32);
    expect(member.tta).toEqual({ horizontalFlip: true, shifts: [], crops: null });
  });

  it("names the member that gives both a run and a config", () => {
    const input = { ...base, members: [{ run: "a" }, { run: "b", config: "c.json" }] };
    expect(() => parseEnsembleConfig(input, "e.json")).toThrow(ConfigError);
    expect(() => parseEnsembleConfig(input, "e.json")).toThrow('members.1: give exactly one of "run" (a run id) or "config"');
  });

  it("takes a dataset of two or more classes for every member to be read on, and names what is wrong with one", () => {
    const dataset = { root: "auto", classes: ["happy", "sad"] };
    expect(parseEnsembleConfig({ ...base, dataset }).dataset).toEqual(dataset);
    expect(() => parseEnsembleConfig({ ...base, dataset: { root: "auto", classes: ["happy"] } }, "e.json")).toThrow(/dataset\.classes/);
    expect(() => parseEnsembleConfig({ ...base, dataset: { classes: ["happy", "sad"] } }, "e.json")).toThrow(/dataset\.root/);
  });

  it("names the allowed combiners for an unknown one", () => {
    expect(() => parseEnsembleConfig({ ...base, combiner: "mean" })).toThrow(
      'combiner: value not allowed; allowed: "soft_vote", "weighted_soft_vote", "majority_vote", "stacking", "log_linear_pool"',
    );
  });

  it("names the field of an inline member config under members.<i>.config", () => {
    const input = { ...base, members: [{ run: "a" }, { config: { name: "m", model: { family: "vgg" } } }] };
    expect(() => parseEnsembleConfig(input, "e.json")).toThrow(/Invalid config in e\.json:\n {2}members\.1\.config\.model\.family: /);
  });

  it("refuses raw probabilities as features for a combiner other than stacking, which would ignore them", () => {
    const probabilities = { fitting: { features: "probabilities" } };
    expect(parseEnsembleConfig({ ...base, combiner: "stacking", ...probabilities }).fitting.features).toBe("probabilities");
    expect(() => parseEnsembleConfig({ ...base, combiner: "log_linear_pool", ...probabilities }, "e.json")).toThrow(
      'fitting.features: "probabilities" is what the stacking meta-learner sees; the log_linear_pool combiner does not read it: ' +
        'remove fitting.features, or set "combiner": "stacking"',
    );
    expect(() => parseEnsembleConfig({ ...base, ...probabilities })).toThrow(/the soft_vote combiner does not read it/);
    // The default, log-probabilities, is what every combiner works on: a saved config.json that has it parses again.
    const saved = parseEnsembleConfig({ ...base, combiner: "log_linear_pool" });
    expect(parseEnsembleConfig(JSON.parse(JSON.stringify(saved))).fitting.features).toBe("log_probabilities");
  });

  it("refuses an empty member list and a fold count below 2", () => {
    expect(() => parseEnsembleConfig({ ...base, members: [] })).toThrow("members: ");
    expect(() => parseEnsembleConfig({ ...base, fitting: { folds: 1 } })).toThrow("fitting.folds: ");
  });
});

describe("parseExperimentConfig and readConfigFile", () => {
  it("reads a config without kind as a run config and one with kind ensemble as an ensemble", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fer-configs-"));
    await writeFile(join(dir, "run.json"), JSON.stringify({ name: "m", model: { family: "small_cnn" } }));
    await writeFile(join(dir, "ensemble.json"), JSON.stringify(base));
    expect((await readConfigFile(join(dir, "run.json"))).kind).toBe("run");
    expect((await readConfigFile(join(dir, "ensemble.json"))).kind).toBe("ensemble");
  });

  it("names the allowed kind for another kind", () => {
    expect(() => parseExperimentConfig({ ...base, kind: "bagging" }, "x.json")).toThrow(
      'kind: value "bagging" not allowed; allowed: "ensemble" (leave kind out for a run config)',
    );
  });

  it("says where configs live for a missing file", async () => {
    await expect(readConfigFile("experiments/none.json")).rejects.toThrow("Config file experiments/none.json not found; configs live in experiments/");
  });
});

describe("configHash", () => {
  it("ignores key order and sees any changed value", () => {
    expect(configHash({ a: 1, b: { c: [1, 2], d: "x" } })).toBe(configHash({ b: { d: "x", c: [1, 2] }, a: 1 }));
    expect(configHash({ a: 1, b: { c: [1, 2] } })).not.toBe(configHash({ a: 1, b: { c: [2, 1] } }));
    expect(configHash({ seed: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("experiments/ensemble_*.json and best_*_ensemble.json", () => {
  it("parse, are named after their files and name run configs that exist", async () => {
    const files = (await readdir("experiments")).filter((f) => /^(ensemble_.*|best_.*_ensemble)\.json$/.test(f)).sort();
    expect(files).toEqual([
      "best_4class_all_train_ensemble.json",
      "best_4class_cross_ensemble.json",
      "best_4class_ensemble.json",
      "best_fer2013_ensemble.json",
      "ensemble_log_linear_pool.json",
      "ensemble_majority_vote.json",
      "ensemble_soft_vote.json",
      "ensemble_stacking.json",
      "ensemble_weighted_soft_vote.json",
    ]);
    for (const file of files) {
      const parsed = await readConfigFile(`experiments/${file}`);
      expect(parsed.kind).toBe("ensemble");
      expect(`${parsed.config.name}.json`).toBe(file);
      for (const member of parsed.kind === "ensemble" ? parsed.config.members : []) {
        expect("config" in member && typeof member.config === "string").toBe(true);
        if (!("config" in member && typeof member.config === "string")) continue;
        const memberConfig = await readConfigFile(member.config);
        expect(memberConfig.kind).toBe("run");
        // An ensemble with its own dataset reads every member on its classes: each member must have them.
        const wanted = parsed.kind === "ensemble" ? parsed.config.dataset?.classes ?? [] : [];
        if (memberConfig.kind === "run") expect(memberConfig.config.dataset.classes).toEqual(expect.arrayContaining(wanted));
      }
    }
  });
});
