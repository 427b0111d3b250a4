import { beforeAll, describe, expect, it } from "vitest";
import { cp, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { callCli } from "../in_process_cli.ts";
import { describeDatasetProblems } from "../../src/data/dataset_problems.ts";
import { makeTinyProject, type TinyProject } from "./_cli_process.ts";

let project: TinyProject;

beforeAll(async () => {
  project = await makeTinyProject("problems");
});

function cli(...args: string[]) {
  return callCli(args, project.env);
}

describe("describeDatasetProblems", () => {
  it("says nothing when nothing was skipped", () => {
    expect(describeDatasetProblems({ unreadable: [], skippedClassFolders: [], skippedFiles: [] }).lines).toEqual([]);
  });

  it("shows at most the requested number of paths and counts the rest", () => {
    const unreadable = Array.from({ length: 7 }, (_, i) => ({ path: `train/happy/${i}.jpg`, reason: "bad" }));
    const { lines, summary } = describeDatasetProblems({ unreadable, skippedClassFolders: [], skippedFiles: [] }, { examples: 2 });
    expect(summary.unreadable).toBe(7);
    expect(lines).toEqual(["WARNING: skipped 7 file(s): 7 unreadable image(s)", "  train/happy/0.jpg: unreadable (bad)", "  train/happy/1.jpg: unreadable (bad)", "  ... and 5 more"]);
  });
});

describe("fer run and bad data", () => {
  it("says what it skipped and records the full list in the run folder and the manifest", async () => {
    const root = join(project.dir, "messy");
    await cp(project.dataRoot, root, { recursive: true });
    await writeFile(join(root, "train", "happy", "corrupt.jpg"), new Uint8Array([0xff, 0xd8, 0xff, 0x00, 1, 2, 3]));
    await writeFile(join(root, "train", "sad", "empty.png"), new Uint8Array(0));
    await mkdir(join(root, "train", "hapy"));
    await writeFile(join(root, "train", "hapy", "a.png"), await readFile(join(root, "train", "happy", (await readdir(join(root, "train", "happy")))[0])));
    const { code, err } = await cli("run", await project.config(1, { dataset: { root, size: 24 } }), "--no-images");
    expect(code).toBe(0);
    expect(err).toContain("WARNING: skipped 3 file(s): 2 unreadable image(s), 1 file(s) in 1 folder(s) that are not configured classes");
    expect(err).toContain("train/hapy/: not a configured class (1 files)");
    const [id] = await readdir(join(project.results, "runs"));
    const manifest = JSON.parse(await readFile(join(project.results, "runs", id, "manifest.json"), "utf8"));
    expect(manifest.dataset.skipped).toMatchObject({ unreadable: 2, skippedClassFolders: 1, skippedClassFolderFiles: 1, skippedFiles: 0 });
    const list = JSON.parse(await readFile(join(project.results, "runs", id, "skipped_files.json"), "utf8"));
    expect(list.unreadable.map((u: { path: string }) => u.path).sort()).toEqual(["train/happy/corrupt.jpg", "train/sad/empty.png"]);
  }, 60_000);

  it("refuses a configured class with no images in a split, before any run folder exists", async () => {
    const root = join(project.dir, "no_neutral_test");
    await cp(project.dataRoot, root, { recursive: true });
    await rm(join(root, "test", "neutral"), { recursive: true });
    const before = await readdir(join(project.results, "runs")).catch(() => []);
    const { code, err } = await cli("run", await project.config(1, { dataset: { root, size: 24 } }), "--no-images");
    expect(code).toBe(1);
    expect(err).toContain(`DatasetError: Class "neutral" has no images in the test split of ${root} (found: happy 6, sad 6, surprise 6, neutral 0); add images under test/neutral/`);
    expect(await readdir(join(project.results, "runs")).catch(() => [])).toEqual(before);
  }, 60_000);
});
