import { describe, expect, it } from "vitest";
import { readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { ConfigError } from "../../src/core/errors.ts";
import { notebookRunConfig, SMOKE_LIMITS } from "../../src/notebook/notebook_run_config.ts";
import { tempDir } from "./notebook_fixtures.ts";

const projectRoot = resolve(".");

describe("notebookRunConfig", () => {
  it("reads experiments/<name>.json as the CLI would", async () => {
    const config = await notebookRunConfig("small_cnn", { projectRoot });
    const json = JSON.parse(await readFile("experiments/small_cnn.json", "utf8"));
    expect([config.name, config.training.epochs, config.dataset.limitPerSplit]).toEqual([json.name, json.training.epochs, null]);
  });

  it("cuts a smoke run to one epoch on the smoke limits and marks its name", async () => {
    const config = await notebookRunConfig("small_cnn", { projectRoot, smoke: true });
    expect(config.training.epochs).toBe(1);
    expect(config.dataset.limitPerSplit).toEqual(SMOKE_LIMITS);
    expect(config.name).toBe("small_cnn-smoke");
  });

  it("applies the epochs and backend overrides after smoke", async () => {
    const config = await notebookRunConfig("small_cnn", { projectRoot, smoke: true, epochs: 3, backend: "cpu" });
    expect([config.training.epochs, config.backend]).toEqual([3, "cpu"]);
  });

  it("reads a .json path relative to the project", async () => {
    const dir = await tempDir("cfg");
    await writeFile(join(dir, "mine.json"), JSON.stringify({ name: "mine", model: { family: "small_cnn" } }));
    expect((await notebookRunConfig(join(dir, "mine.json"), { projectRoot })).name).toBe("mine");
  });

  it("names the field of a bad override", async () => {
    await expect(notebookRunConfig("small_cnn", { projectRoot, backend: "gpu" })).rejects.toThrow(ConfigError);
    await expect(notebookRunConfig("small_cnn", { projectRoot, backend: "gpu" })).rejects.toThrow("backend");
  });

  it("says where configs live when the name is unknown", async () => {
    await expect(notebookRunConfig("no_such_model", { projectRoot })).rejects.toThrow("configs live in experiments/");
  });
});
