import { describe, expect, it } from "vitest";
import { readdir, readFile } from "node:fs/promises";
import { parseRunConfig } from "../../src/experiment/run_config.ts";

describe("experiments/*.json", () => {
  it("every committed config parses and names a distinct model family", async () => {
    const files = (await readdir("experiments")).filter((f) => f.endsWith(".json")).sort();
    expect(files.length).toBeGreaterThanOrEqual(5);
    const families = new Set<string>();
    for (const file of files) {
      const config = parseRunConfig(JSON.parse(await readFile(`experiments/${file}`, "utf8")), `experiments/${file}`);
      expect(`${config.name}.json`).toBe(file);
      families.add(config.model.family);
    }
    for (const family of ["small_cnn", "capstone_cnn", "vgg_like", "resnet_like", "mobilenet_v2_like"]) {
      expect(families).toContain(family);
    }
  });
});
