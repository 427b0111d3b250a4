import { describe, expect, it } from "vitest";
import { mkdir, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { autoDatasetCandidates, resolveDatasetRoot } from "../../src/experiment/resolve_dataset_root.ts";

/** A temporary folder holding `project/` and, beside it, `shared/data/`. */
async function layout(folders: string[]): Promise<string> {
  const top = await mkdtemp(join(tmpdir(), "fer-root-"));
  await mkdir(join(top, "project"), { recursive: true });
  for (const folder of folders) await mkdir(join(top, folder, "train"), { recursive: true });
  return join(top, "project");
}

describe("resolveDatasetRoot", () => {
  const classes = ["happy", "sad"];

  it("uses a path other than auto as given, relative to the project root", async () => {
    const projectRoot = await layout([]);
    expect((await resolveDatasetRoot("data/mine", { projectRoot, classes })).root).toBe(resolve(projectRoot, "data/mine"));
  });

  it("finds auto:<name> in the project's data folder before the shared one", async () => {
    const projectRoot = await layout(["project/data/fer2013", "shared/data/fer2013"]);
    const found = await resolveDatasetRoot("auto:fer2013", { projectRoot, classes });
    expect(found.root).toBe(resolve(projectRoot, "data/fer2013"));
    expect(found.reason).toContain("real data found");
  });

  it("finds auto:<name> in the shared data folder beside the project", async () => {
    const projectRoot = await layout(["shared/data/fer2013"]);
    expect((await resolveDatasetRoot("auto:fer2013", { projectRoot, classes })).root).toBe(resolve(projectRoot, "../shared/data/fer2013"));
  });

  it("lets plain auto mean the 4-class set, not another named one", async () => {
    const projectRoot = await layout(["shared/data/fer2013", "shared/data/facial_emotion_images"]);
    expect((await resolveDatasetRoot("auto", { projectRoot, classes })).root)
      .toBe(resolve(projectRoot, "../shared/data/facial_emotion_images"));
  });

  it("lists where auto:<name> looks", () => {
    expect(autoDatasetCandidates("fer2013")).toEqual(["data/fer2013", "../shared/data/fer2013"]);
  });
});
