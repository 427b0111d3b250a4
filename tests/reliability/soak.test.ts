/**
 * Soak test: tiny runs stopped at random points by SIGINT, SIGTERM, SIGKILL
 * or a reader that closes the output pipe; afterwards every run folder must
 * be complete, interrupted-and-consistent or reported stale, and list,
 * compare and eval must work on all of them. FER_SOAK_ROUNDS sets the number
 * of runs (default 12, three per way of stopping); FER_SOAK_SEED the seed of
 * the stopping times.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { callCli } from "../in_process_cli.ts";
import { makeRng } from "../../src/core/seed.ts";
import { openRun, readRunJson, runState } from "../../src/experiment/run_store.ts";
import type { RunManifest } from "../../src/experiment/run_manifest.ts";
import { makeTinyProject, startCli, type TinyProject } from "./_cli_process.ts";

const ROUNDS = Number(process.env.FER_SOAK_ROUNDS ?? 12);
const SEED = Number(process.env.FER_SOAK_SEED ?? 15);
const WAYS = ["SIGINT", "SIGTERM", "SIGKILL", "closed pipe"] as const;
type Way = typeof WAYS[number];
// Where a stop is timed from: process start, or a line the run prints.
const MILESTONES = ["start", "Run ", "epoch 1/6", "epoch 3/6", "epoch 6/6"] as const;

let project: TinyProject;

beforeAll(async () => {
  project = await makeTinyProject("soak");
});

function cli(...args: string[]) {
  return callCli(args, project.env);
}

describe("soak: runs stopped at random points", () => {
  it(`leaves every one of ${ROUNDS} run folders complete, interrupted or stale, and readable`, async () => {
    const rng = makeRng(SEED);
    const config = await project.config(6);
    const stops: { way: Way; at: string; code: number | null; signal: string | null }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const way = WAYS[round % WAYS.length];
      // A random point, timed from a random milestone so that machine load
      // does not push every stop into start-up: start-up itself, the run
      // folder's creation, an epoch, or the end of training (evaluation and saving).
      const milestone = MILESTONES[rng.int(MILESTONES.length)];
      const afterMs = Math.round(rng.uniform(0, milestone === "start" ? 3000 : 1200));
      const child = startCli(["run", config, "--no-images"], project.env);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stop = () => {
        if (child.child.exitCode !== null || child.child.signalCode !== null) return;
        if (way === "closed pipe") {
          child.child.stdout!.destroy();
          child.child.stderr!.destroy();
        } else {
          process.kill(child.child.pid!, way);
        }
      };
      (milestone === "start" ? Promise.resolve() : child.waitForErr(milestone)).then(
        () => (timer = setTimeout(stop, afterMs)),
        () => {}, // exited before the milestone
      );
      const { code, signal } = await child.exited;
      clearTimeout(timer);
      stops.push({ way, at: `${milestone} + ${afterMs} ms`, code, signal });
      if (way === "closed pipe") expect(code, `closed pipe at ${milestone} + ${afterMs} ms`).toBe(0);
      if (way === "SIGINT" && signal === null) expect([0, 130]).toContain(code);
      if (way === "SIGTERM" && signal === null) expect([0, 143]).toContain(code);
    }

    const ids = existsSync(join(project.results, "runs")) ? (await readdir(join(project.results, "runs"))).sort() : [];
    const counts: Record<string, number> = {};
    for (const id of ids) {
      const run = await openRun(project.results, id);
      const manifest = await readRunJson<RunManifest>(run, "manifest");
      const { status } = await runState(run, manifest);
      counts[status] = (counts[status] ?? 0) + 1;
      expect(["completed", "interrupted", "stale"], `${id} is ${status}`).toContain(status);
      if (status === "completed" || status === "interrupted") {
        // history.csv is absent only when the stop came before the first epoch ended.
        const files = ["metrics.json", "predictions.csv", join("model", "model.json"), ...(status === "completed" ? ["history.csv"] : [])];
        for (const file of files) {
          expect(existsSync(join(run.dir, file)), `${id} (${status}) has ${file}`).toBe(true);
        }
        expect(manifest?.finishedAt, `${id} records when it finished`).toBeTruthy();
        const temporary = (await readdir(run.dir, { recursive: true })).map(String).filter((f) => f.endsWith(".tmp"));
        expect(temporary, `${id} (${status}) left temporary files`).toEqual([]);
      }
    }

    const list = await cli("list");
    expect(list.code).toBe(0);
    for (const id of ids) expect(list.out).toContain(id);
    const compare = await cli("compare", "--no-images");
    expect(compare.code).toBe(0);
    let evaluated = 0, refused = 0;
    for (const id of ids) {
      const result = await cli("eval", id, project.dataRoot, "--split", "test", "--json");
      if (existsSync(join(project.results, "runs", id, "model", "model.json"))) {
        expect(result.code, `eval ${id}: ${result.err}`).toBe(0);
        evaluated++;
      } else {
        // A run stopped before its first saved weights: a clear error, no stack trace.
        expect(result.code).toBe(1);
        expect(result.err).toMatch(/^RunError: No model in /m);
        refused++;
      }
    }
    const never = ROUNDS - ids.length;
    console.log(
      `soak (seed ${SEED}): ${ROUNDS} runs stopped by ${WAYS.map((w) => `${w} ${stops.filter((s) => s.way === w).length}`).join(", ")}; ` +
        `folders ${ids.length} (${Object.entries(counts).map(([s, n]) => `${s} ${n}`).join(", ")}), ${never} stopped before a folder existed; ` +
        `list and compare ok; eval ok on ${evaluated}, refused with RunError on ${refused} without a model\n` +
        stops.map((s) => `  ${s.way} at ${s.at} -> ${s.signal ?? `exit ${s.code}`}`).join("\n"),
    );
  }, 15 * 60_000);
});
