import { describe, expect, it } from "vitest";
import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { callCli } from "../in_process_cli.ts";
import { importDataset } from "../../src/data/import_dataset.ts";

const PIXELS = Array.from({ length: 2304 }, (_, i) => i % 256).join(" ");

function cli(...args: string[]) {
  return callCli(args, {});
}

// An existing imported dataset: one train image and a README.
async function existingDataset(dir: string): Promise<string> {
  const out = join(dir, "fer2013");
  await mkdir(join(out, "train", "happy"), { recursive: true });
  await writeFile(join(out, "train", "happy", "old.png"), "old");
  await writeFile(join(out, "README.md"), "mine");
  return out;
}

describe("data import --overwrite keeps the old dataset until the new one is complete", () => {
  it("leaves the output folder untouched when the csv header is wrong", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fer-import-"));
    const out = await existingDataset(dir);
    const csv = join(dir, "fer2013.csv");
    await writeFile(csv, `label,image,split\n3,${PIXELS},Training\n`);
    const { code, err } = await cli("data", "import", csv, "--out", out, "--overwrite");
    expect(code).toBe(1);
    expect(err).toMatch(/^DatasetError: /);
    expect(await readFile(join(out, "train", "happy", "old.png"), "utf8")).toBe("old");
    expect((await readdir(dir)).sort()).toEqual(["fer2013", "fer2013.csv"]);
  });

  it("replaces the dataset once the import has succeeded, leaving no staging folder", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fer-import-"));
    const out = await existingDataset(dir);
    const csv = join(dir, "fer2013.csv");
    await writeFile(csv, `emotion,pixels,Usage\n3,${PIXELS},Training\n`);
    const summary = await importDataset(csv, { out, overwrite: true });
    expect(summary.total).toBe(1);
    expect(await readdir(join(out, "train", "happy"))).toEqual(["Training_0.png"]);
    expect((await readdir(dir)).sort()).toEqual(["fer2013", "fer2013.csv"]);
  });

  it("refuses to replace a folder that does not look like a dataset without --force", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fer-import-"));
    const out = join(dir, "project");
    await mkdir(join(out, "src"), { recursive: true });
    await writeFile(join(out, "package.json"), "{}");
    const csv = join(dir, "fer2013.csv");
    await writeFile(csv, `emotion,pixels,Usage\n3,${PIXELS},Training\n`);
    const { code, err } = await cli("data", "import", csv, "--out", out, "--overwrite");
    expect(code).toBe(1);
    expect(err).toContain(`ConfigError: Output folder ${out} does not look like a dataset: it holds "package.json", "src" besides train/`);
    expect((await readdir(out)).sort()).toEqual(["package.json", "src"]);
  });

  it("refuses --out . and the folders above it even with --force", async () => {
    const csv = join(await mkdtemp(join(tmpdir(), "fer-import-")), "fer2013.csv");
    await writeFile(csv, `emotion,pixels,Usage\n3,${PIXELS},Training\n`);
    for (const out of [".", resolve(".."), "/"]) {
      const { code, err } = await cli("data", "import", csv, "--out", out, "--overwrite", "--force");
      expect(code).toBe(1);
      expect(err).toContain("an import never replaces it");
    }
  });
});
