import { describe, expect, it } from "vitest";
import { readdir, readFile } from "node:fs/promises";
import { parseRunConfig } from "../../src/experiment/run_config.ts";
import { initMismatches } from "../../src/experiment/initial_weights.ts";

/** Run configs: every experiments/*.json except ensemble and sweep configs ("kind": "ensemble" or "sweep"), which have their own schemas. */
async function runConfigFiles(): Promise<{ file: string; json: unknown }[]> {
  const files = (await readdir("experiments")).filter((f) => f.endsWith(".json")).sort();
  const all = await Promise.all(files.map(async (file) => ({ file, json: JSON.parse(await readFile(`experiments/${file}`, "utf8")) })));
  return all.filter(({ json }) => !["ensemble", "sweep"].includes((json as { kind?: string }).kind ?? ""));
}

describe("experiments/*.json", () => {
  it("every committed run config parses, is named after its file, and the families are covered", async () => {
    const configs = await runConfigFiles();
    expect(configs.length).toBeGreaterThanOrEqual(5);
    const families = new Set<string>();
    for (const { file, json } of configs) {
      const config = parseRunConfig(json, `experiments/${file}`);
      expect(`${config.name}.json`).toBe(file);
      families.add(config.model.family);
    }
    for (const family of ["small_cnn", "capstone_cnn", "vgg_like", "resnet_like", "mobilenet_v2_like", "transfer"]) {
      expect(families).toContain(family);
    }
  });

  it("starts runs only from committed configs of the same model and input (training.initFrom)", async () => {
    const configs = new Map((await runConfigFiles()).map(({ file, json }) => [`experiments/${file}`, parseRunConfig(json, file)]));
    const starting = [...configs.entries()].filter(([, config]) => config.training.initFrom !== null);
    expect(starting.length).toBeGreaterThanOrEqual(1);
    for (const [file, config] of starting) {
      const source = configs.get(config.training.initFrom!);
      expect(source, `${file}: training.initFrom ${config.training.initFrom} is not a committed run config`).toBeDefined();
      expect(initMismatches(source!, config), file).toEqual([]);
    }
  });

  it("has a frozen config for every registered backbone, a fine-tuning config, and both packaged baselines", async () => {
    const transfer = (await runConfigFiles())
      .map(({ file, json }) => parseRunConfig(json, file))
      .filter((config) => config.model.family === "transfer")
      .map((config) => config.model.family === "transfer" ? `${config.model.mode}:${String(config.model.backbone)}` : "");
    expect(transfer).toEqual(expect.arrayContaining([
      "frozen:face_api_expression",
      "frozen:face_api_recognition",
      "frozen:human_emotion",
      "frozen:human_mobilefacenet",
      "fine_tune:face_api_expression",
      "pretrained:face_api_expression",
      "pretrained:human_emotion",
    ]));
  });

  it("names baseline configs baseline_* and gives them mode pretrained", async () => {
    for (const { file, json } of await runConfigFiles()) {
      if (!file.startsWith("baseline_")) continue;
      const config = parseRunConfig(json, file);
      expect(config.model.family === "transfer" && config.model.mode).toBe("pretrained");
    }
  });
});
