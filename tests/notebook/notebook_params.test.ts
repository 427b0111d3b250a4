import { describe, expect, it } from "vitest";
import { join, resolve } from "node:path";
import { ConfigError } from "../../src/core/errors.ts";
import { notebookParams } from "../../src/notebook/notebook_params.ts";

describe("notebookParams", () => {
  it("runs in full mode with the default folders when nothing is set", () => {
    expect(notebookParams({}, { projectRoot: "/p" })).toEqual({
      smoke: false,
      projectRoot: "/p",
      resultsRoot: "/p/results",
      cacheDir: join("/p", ".cache", "datasets"),
      outDir: "/p/results/notebooks",
    });
  });

  it("turns on smoke mode for FER_SMOKE=1 and keeps its runs apart", () => {
    const params = notebookParams({ FER_SMOKE: "1" }, { projectRoot: "/p" });
    expect([params.smoke, params.resultsRoot, params.outDir]).toEqual([true, "/p/results/smoke", "/p/results/smoke/notebooks"]);
  });

  it("treats FER_SMOKE=0 and an empty value as full mode", () => {
    expect(notebookParams({ FER_SMOKE: "0" }).smoke).toBe(false);
    expect(notebookParams({ FER_SMOKE: "" }).smoke).toBe(false);
  });

  it("resolves FER_RESULTS and FER_CACHE against the project root", () => {
    const params = notebookParams({ FER_SMOKE: "1", FER_RESULTS: "out", FER_CACHE: "/tmp/c" }, { projectRoot: "/p" });
    expect([params.resultsRoot, params.cacheDir]).toEqual(["/p/out", "/tmp/c"]);
  });

  it("resolves the project root against the current folder", () => {
    expect(notebookParams({}, { projectRoot: ".." }).projectRoot).toBe(resolve(".."));
  });

  it("rejects any other FER_SMOKE value, naming the allowed ones", () => {
    expect(() => notebookParams({ FER_SMOKE: "yes" })).toThrow(ConfigError);
    expect(() => notebookParams({ FER_SMOKE: "yes" })).toThrow(
      'FER_SMOKE is "yes"; allowed: "1" (smoke: small subset, one epoch) or "0"/unset (full run)',
    );
  });
});
