import { describe, expect, it } from "vitest";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../../src/core/errors.ts";
import { readJsonFile } from "../../src/core/read_json_file.ts";

describe("readJsonFile", () => {
  it("parses the file's JSON", async () => {
    const path = join(await mkdtemp(join(tmpdir(), "json-")), "a.json");
    await writeFile(path, '{"name": "a"}');
    expect(await readJsonFile(path)).toEqual({ name: "a" });
  });

  it("says where configs live when the file is missing", async () => {
    await expect(readJsonFile("experiments/none.json")).rejects.toThrow(ConfigError);
    await expect(readJsonFile("experiments/none.json")).rejects.toThrow(
      "Config file experiments/none.json not found; configs live in experiments/ (e.g. experiments/small_cnn.json)",
    );
  });

  it("names what the file is and the example it is given", async () => {
    await expect(readJsonFile("x.json", { what: "Sweep config", example: "experiments/sweep_smoke.json" })).rejects.toThrow(
      "Sweep config x.json not found; configs live in experiments/ (e.g. experiments/sweep_smoke.json)",
    );
  });

  it("names the file and the parser's message for bad JSON", async () => {
    const path = join(await mkdtemp(join(tmpdir(), "json-")), "bad.json");
    await writeFile(path, "{ name: ");
    await expect(readJsonFile(path)).rejects.toThrow(`Config file ${path} is not valid JSON: `);
  });
});
