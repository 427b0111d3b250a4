import { describe, expect, it } from "vitest";
import { existsSync, statSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeOutputFolder } from "../../src/cli/output_folder.ts";
import { ConfigError } from "../../src/core/errors.ts";

describe("makeOutputFolder", () => {
  it("makes a missing folder and its parents, and leaves an existing one as it is", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fer-out-"));
    const nested = join(dir, "a", "b");
    await makeOutputFolder(nested, "--out");
    expect(statSync(nested).isDirectory()).toBe(true);
    await writeFile(join(nested, "kept.txt"), "x");
    await makeOutputFolder(nested, "--out");
    expect(existsSync(join(nested, "kept.txt"))).toBe(true);
  });
  it("refuses a path where a file stands, or one that passes through a file, naming the option", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fer-out-"));
    const file = join(dir, "file.txt");
    await writeFile(file, "x");
    await expect(makeOutputFolder(file, "--out")).rejects.toThrow(ConfigError);
    await expect(makeOutputFolder(file, "--out")).rejects.toThrow(`--out ${file}: a file stands at that path or on the way to it`);
    await expect(makeOutputFolder(join(file, "sub"), "--out")).rejects.toThrow("a file stands at that path or on the way to it");
  });
});
