import { describe, expect, it } from "vitest";
import { chmod, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunManifest } from "../../src/experiment/run_manifest.ts";
import { createRun, readRunJson } from "../../src/experiment/run_store.ts";
import { withRun } from "../../src/experiment/with_run.ts";

const startedAt = new Date("2026-11-24T09:15:30Z");

async function newRun() {
  const run = await createRun(await mkdtemp(join(tmpdir(), "with-run-")), { name: "x" }, { name: "x", now: startedAt });
  // Only the fields withRun writes matter here; the rest of a manifest is the caller's.
  const manifest = { id: run.id, status: "running", startedAt: startedAt.toISOString(), finishedAt: null, durations: { totalSeconds: null, trainSeconds: null, evalSeconds: null } } as unknown as RunManifest;
  return { run, manifest };
}

describe("withRun", () => {
  it("writes the manifest running before the work starts", async () => {
    const { run, manifest } = await newRun();
    let seen: string | undefined;
    await withRun(run, manifest, {
      startedAt,
      log: () => {},
      work: async () => {
        seen = (await readRunJson<RunManifest>(run, "manifest"))?.status;
        return { result: 1, status: "completed", trainSeconds: 2, evalSeconds: 3 };
      },
    });
    expect(seen).toBe("running");
  });

  it("marks the run completed with the finish time and the work's durations", async () => {
    const { run, manifest } = await newRun();
    const { result, manifest: final } = await withRun(run, manifest, {
      startedAt,
      log: () => {},
      work: () => Promise.resolve({ result: "done", status: "completed" as const, trainSeconds: 2, evalSeconds: 3 }),
    });
    expect(result).toBe("done");
    expect(final.status).toBe("completed");
    expect(final.durations.trainSeconds).toBe(2);
    expect(final.durations.evalSeconds).toBe(3);
    expect(final.durations.totalSeconds).toBeGreaterThan(0);
    expect(await readRunJson<RunManifest>(run, "manifest")).toEqual(final);
  });

  it("marks an interrupted run interrupted", async () => {
    const { run, manifest } = await newRun();
    const { manifest: final } = await withRun(run, manifest, {
      startedAt,
      log: () => {},
      work: () => Promise.resolve({ result: null, status: "interrupted" as const, trainSeconds: 1, evalSeconds: 1 }),
    });
    expect((await readRunJson<RunManifest>(run, "manifest"))?.status).toBe("interrupted");
    expect(final.finishedAt).not.toBeNull();
  });

  it("marks a failed run failed with the error's message and rethrows the error", async () => {
    const { run, manifest } = await newRun();
    const failing = withRun(run, manifest, { startedAt, log: () => {}, work: () => Promise.reject(new Error("Out of memory in epoch 3")) });
    await expect(failing).rejects.toThrow("Out of memory in epoch 3");
    const saved = await readRunJson<RunManifest>(run, "manifest");
    expect(saved?.status).toBe("failed");
    expect(saved?.note).toBe("Out of memory in epoch 3");
    expect(saved?.finishedAt).not.toBeNull();
  });

  it("logs, and still rethrows the work's error, when the failed manifest cannot be written", async () => {
    const { run, manifest } = await newRun();
    const lines: string[] = [];
    const failing = withRun(run, manifest, {
      startedAt,
      log: (line) => lines.push(line),
      work: async () => {
        await chmod(run.dir, 0o500);
        throw new Error("Disk full");
      },
    });
    await expect(failing).rejects.toThrow("Disk full");
    await chmod(run.dir, 0o700);
    // Root may write anyway; then the failure is recorded instead of logged.
    const saved = await readRunJson<RunManifest>(run, "manifest");
    expect(saved?.status === "failed" || lines.some((l) => l.includes("fer list will report it stale"))).toBe(true);
  });
});
