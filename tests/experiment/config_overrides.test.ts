import { describe, expect, it } from "vitest";
import { applyConfigOverrides } from "../../src/experiment/config_overrides.ts";
import { parseRunConfig } from "../../src/experiment/run_config.ts";

const json = { name: "small", model: { family: "small_cnn" }, training: { epochs: 15, batchSize: 32 } };

describe("applyConfigOverrides", () => {
  it("replaces backend, seed and epochs, keeping the other training fields", () => {
    const out = applyConfigOverrides(json, { backend: "cpu", seed: 7, epochs: 2 });
    expect(out).toEqual({ name: "small", model: { family: "small_cnn" }, backend: "cpu", seed: 7, training: { epochs: 2, batchSize: 32 } });
  });

  it("replaces precision, leaving its check to the schema", () => {
    expect(applyConfigOverrides(json, { precision: "bf16" }).precision).toBe("bf16");
    expect(parseRunConfig(applyConfigOverrides(json, { precision: "bf16" })).precision).toBe("bf16");
    expect(() => parseRunConfig(applyConfigOverrides(json, { precision: "half" }))).toThrow('precision: value not allowed; allowed: "float32", "bf16"');
  });

  it("replaces training.initFrom, keeping the other training fields", () => {
    const out = applyConfigOverrides(json, { initFrom: "20261203-180440-pretrain-19f37c" });
    expect(out.training).toEqual({ epochs: 15, batchSize: 32, initFrom: "20261203-180440-pretrain-19f37c" });
    expect(parseRunConfig(out).training.initFrom).toBe("20261203-180440-pretrain-19f37c");
  });

  it("leaves the config it was given unchanged", () => {
    applyConfigOverrides(json, { epochs: 2, nameSuffix: "-smoke" });
    expect(json.training.epochs).toBe(15);
    expect(json.name).toBe("small");
  });

  it("creates a section the config left to its defaults", () => {
    const out = applyConfigOverrides({ name: "a", model: { family: "small_cnn" } }, { limitPerSplit: { train: 4, validation: 2, test: 1 } });
    expect(parseRunConfig(out, "x").dataset.limitPerSplit).toEqual({ train: 4, validation: 2, test: 1 });
  });

  it("appends the name suffix", () => {
    expect(applyConfigOverrides(json, { nameSuffix: "-smoke" }).name).toBe("small-smoke");
  });

  it("changes nothing without overrides", () => {
    expect(applyConfigOverrides(json, {})).toEqual(json);
  });

  it("hands a value that is not an object on for the schema to reject", () => {
    expect(applyConfigOverrides([1], { epochs: 2 })).toEqual([1]);
  });
});
