import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createStampedFolder } from "../../src/core/stamped_folder.ts";

describe("createStampedFolder", () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "stamped-"));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("names the folder <UTC stamp>-<stem>-<6 hex>, creating a missing parent", async () => {
    const now = new Date("2026-12-07T08:09:10.500Z");
    const { id, dir } = await createStampedFolder(join(root, "runs"), "best fer2013/v2", { fallback: "run", now, what: "run" });
    expect(id).toMatch(/^20261207-080910-best_fer2013_v2-[0-9a-f]{6}$/);
    expect(dir).toBe(join(root, "runs", id));
    expect(await readdir(join(root, "runs"))).toEqual([id]);
  });

  it("uses the fallback for an empty name", async () => {
    const { id } = await createStampedFolder(root, "", { fallback: "video", now: new Date(0), what: "video-run" });
    expect(id).toMatch(/^19700101-000000-video-[0-9a-f]{6}$/);
  });

  it("gives folders made in the same second different names", async () => {
    const now = new Date(0);
    const made = await Promise.all(Array.from({ length: 20 }, () => createStampedFolder(root, "run", { fallback: "run", now, what: "run" })));
    expect(new Set(made.map((m) => m.id)).size).toBe(20);
    expect((await readdir(root)).length).toBe(20);
  });
});
