import { describe, expect, it } from "vitest";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../../src/core/errors.ts";
import { readRunConfig } from "../../src/experiment/read_run_config.ts";

async function configFile(json: unknown): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), "run-config-")), "c.json");
  await writeFile(path, JSON.stringify(json));
  return path;
}

describe("readRunConfig", () => {
  it("reads and resolves a committed run config", async () => {
    const config = await readRunConfig("experiments/small_cnn.json");
    expect(config.model.family).toBe("small_cnn");
  });

  it("applies overrides before validating", async () => {
    const config = await readRunConfig("experiments/small_cnn.json", { overrides: { epochs: 1, backend: "cpu" } });
    expect(config.training.epochs).toBe(1);
    expect(config.backend).toBe("cpu");
  });

  it("names the file and who set a bad override", async () => {
    const reading = readRunConfig("experiments/small_cnn.json", { overrides: { backend: "gpu" }, overridesBy: "notebook overrides" });
    await expect(reading).rejects.toThrow(ConfigError);
    await expect(readRunConfig("experiments/small_cnn.json", { overrides: { backend: "gpu" }, overridesBy: "notebook overrides" })).rejects.toThrow(
      "Invalid config in experiments/small_cnn.json with notebook overrides:\n  backend:",
    );
  });

  it("refuses an ensemble config and says how to run it", async () => {
    const path = await configFile({ kind: "ensemble", name: "e", members: [{ run: "a" }] });
    await expect(readRunConfig(path)).rejects.toThrow(`Config file ${path} is an ensemble config ("kind": "ensemble"); run it with: deno task fer run ${path}`);
  });

  it("refuses a sweep config and says how to run it", async () => {
    const path = await configFile({ kind: "sweep", name: "s" });
    await expect(readRunConfig(path)).rejects.toThrow(`run it with: deno task fer sweep ${path}`);
  });
});
