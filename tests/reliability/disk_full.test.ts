import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli.ts";
import { DiskFullError, diskFullOr } from "../../src/core/errors.ts";
import { makeTinyProject, type TinyProject } from "./_cli_process.ts";

// A real full disk: a 1 MB tmpfs, which needs root (CI runs as root); skipped elsewhere.
let small = "";
const canMount = (() => {
  try {
    const probe = execFileSync("mktemp", ["-d"], { encoding: "utf8" }).trim();
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", probe], { stdio: "ignore" });
    small = probe;
    return true;
  } catch {
    return false;
  }
})();

let project: TinyProject;

beforeAll(async () => {
  project = await makeTinyProject("diskfull");
});

afterAll(() => {
  if (small) execFileSync("umount", [small]);
});

async function files(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String);
}

describe("diskFullOr", () => {
  it("names the folder and the bytes for ENOSPC and passes other errors through", () => {
    const full = diskFullOr(Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" }), "/r/runs/x/metrics.json", 2_500_000);
    expect(full).toBeInstanceOf(DiskFullError);
    expect((full as Error).message).toBe(
      "No space left on the disk holding /r/runs/x (disk full) while writing /r/runs/x/metrics.json (2.5 MB needed); free space there (check with: df -h /r/runs/x) and run again",
    );
    const other = new Error("EACCES");
    expect(diskFullOr(other, "/x")).toBe(other);
  });
});

describe.runIf(canMount)("a run on a full disk (needs root to mount a 1 MB tmpfs)", () => {
  it("says which folder is full and how much was needed, leaves no temporary files and records the failure", async () => {
    const results = join(small, "results");
    let err = "";
    const code = await main(["run", await project.config(1), "--no-images"], {
      out: () => {},
      err: (t) => (err += t),
      env: { FER_RESULTS: results, FER_CACHE: await mkdtemp(join(tmpdir(), "fer-cache-")) },
    });
    expect(code).toBe(1);
    expect(err).toMatch(/DiskFullError: No space left on the disk holding \S+\/plots \(disk full\) while writing \S+plotly\.min\.js \(\d\.\d MB needed\)/);
    const [id] = await readdir(join(results, "runs"));
    const runDir = join(results, "runs", id);
    expect((await files(runDir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    const manifest = JSON.parse(await readFile(join(runDir, "manifest.json"), "utf8"));
    expect(manifest.status).toBe("failed");
    expect(manifest.note).toContain("No space left");
  }, 60_000);
});
