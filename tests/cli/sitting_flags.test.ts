import { beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { callCli } from "../in_process_cli.ts";
import { generateSyntheticDataset } from "../../src/data/synthetic_faces.ts";
import { sittingFromFlags, sittingOverBeforeStart } from "../../src/cli/sitting_flags.ts";
import { parseClockTime, parseDuration } from "../../src/train/sitting_times.ts";

let dir = "", results = "", configPath = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fer-cli-sitting-"));
  results = join(dir, "results");
  const dataRoot = join(dir, "synthetic");
  await generateSyntheticDataset(dataRoot, { perClass: { train: 16, validation: 6, test: 6 }, seed: 3 });
  configPath = join(dir, "tiny.json");
  await writeFile(configPath, JSON.stringify({
    name: "tiny_sittings",
    seed: 1,
    backend: "wasm",
    dataset: { root: dataRoot, size: 24 },
    model: { family: "small_cnn", filters: [4, 8], denseUnits: 8 },
    training: { epochs: 3, batchSize: 16 },
  }));
});

function cli(...args: string[]) {
  return callCli(args, { FER_RESULTS: results, FER_CACHE: join(dir, "cache") });
}

const epochsIn = async (runId: string) => (await readFile(join(results, "runs", runId, "history.csv"), "utf8")).trim().split("\n").length - 1;

describe("training in sittings from the command line", () => {
  it("fer run --stop-after-epoch stops after that epoch, keeps the checkpoint and says how to go on; fer resume takes the next sitting", async () => {
    const first = await cli("run", configPath, "--stop-after-epoch", "1", "--no-images");
    expect(first.code).toBe(0);
    const runId = /Go on with: deno task fer resume (\S+)/.exec(first.err)?.[1] ?? "";
    expect(first.err).toContain(`Sitting over: stopped after epoch 1, as asked. Go on with: deno task fer resume ${runId}`);
    expect(first.out).toContain(`Run ${runId}: interrupted`);
    expect(first.out).toContain("test       not read while the run is unfinished: it is read once, when the run completes");
    expect(await epochsIn(runId)).toBe(1);
    expect(existsSync(join(results, "runs", runId, "checkpoint.bin"))).toBe(true);
    // fer list shows how far a stopped run got, the time the rest would take, and no test figure yet.
    const listed = (await cli("list")).out.split("\n").find((line) => line.startsWith(runId)) ?? "";
    expect(listed).toMatch(/interrupted .*stopped after 1\/3 epochs, about \d+s to go, val 0\.\d{3} so far$/);
    expect(listed).not.toContain("test");

    // A limit at or before the epoch the run is at would train nothing: refused before the run is touched.
    const empty = await cli("resume", runId, "--stop-after-epoch", "1");
    expect(empty.code).toBe(1);
    expect(empty.err).toContain(`Run ${runId} has finished 1 of its 3 epochs; --stop-after-epoch 1 would train none more: give an epoch after 1`);
    const manifest = JSON.parse(await readFile(join(results, "runs", runId, "manifest.json"), "utf8"));
    expect(manifest.resumes ?? []).toHaveLength(0);

    const second = await cli("resume", runId, "--stop-after-epoch", "2", "--no-images");
    expect(second.code).toBe(0);
    expect(second.err).toContain("Sitting over: stopped after epoch 2, as asked");
    expect(await epochsIn(runId)).toBe(2);

    // The same config run again starts a new run, and says which stopped run it could go on with instead.
    const again = await cli("run", configPath, "--stop-after-epoch", "1", "--no-images");
    expect(again.err).toContain(
      `Note: run ${runId} of this config and seed stopped after epoch 2 of 3 with its checkpoint; this starts a new run from its first epoch. ` +
        `To go on with that one instead, stop this one and use: deno task fer resume ${runId}`,
    );
    const againId = /Go on with: deno task fer resume (\S+)/.exec(again.err)?.[1];
    expect(againId).toMatch(/-tiny_sittings-/);
    expect(againId).not.toBe(runId);

    // A clock time already past (a sweep's job that waited in a cluster's queue past the sweep's end): nothing trained, nothing changed.
    const history = await readFile(join(results, "runs", runId, "history.csv"), "utf8");
    const late = await cli("resume", runId, "--until", "2020-01-01T00:00Z", "--no-images");
    expect(late.code).toBe(0);
    expect(late.err).toContain(`Sitting over before it began: 2020-01-01T00:00Z has passed; nothing was trained; run ${runId} is as it was`);
    expect(await readFile(join(results, "runs", runId, "history.csv"), "utf8")).toBe(history);
    expect(await cli("resume", "20200101-000000-nothing-000000", "--until", "2020-01-01T00:00Z")).toMatchObject({
      code: 1,
      err: expect.stringContaining("is not one to resume: it is missing, completed, or kept no checkpoint"),
    });
    const runsBefore = (await cli("list")).out;
    const lateRun = await cli("run", configPath, "--until", "2020-01-01T00:00Z", "--no-images");
    expect(lateRun.code).toBe(0);
    expect(lateRun.err).toContain("Sitting over before it began: 2020-01-01T00:00Z has passed; nothing was trained, and no run was made");
    expect((await cli("list")).out).toBe(runsBefore);

    // A budget the last epoch fits in: the run completes and no sitting message is printed.
    const last = await cli("resume", runId, "--time-budget", "1h", "--no-images");
    expect(last.code).toBe(0);
    expect(last.err).not.toContain("Sitting over");
    expect(last.out).toContain(`Run ${runId}: completed`);
    expect(await epochsIn(runId)).toBe(3);
    expect(existsSync(join(results, "runs", runId, "checkpoint.bin"))).toBe(false);
    expect((await cli("list")).out).toMatch(new RegExp(`${runId}\\s+completed .*val 0\\.\\d{3}  test 0\\.\\d{3}`));
  });

  it("fer resume <config> goes on with the newest run of that config (and fer run's overrides) that stopped with its checkpoint", async () => {
    const path = join(dir, "by_config.json");
    // Another experiment than tiny.json's (4 epochs, not 3): the runs that test left stopped are not this config's.
    const tiny = JSON.parse(await readFile(configPath, "utf8"));
    await writeFile(path, JSON.stringify({ ...tiny, name: "tiny_by_config", training: { ...tiny.training, epochs: 4 } }));
    const none = await cli("resume", path, "--seed", "3");
    expect(none.code).toBe(1);
    expect(none.err).toContain(`No run of ${path} (--seed 3) stopped with its checkpoint in ${results}: start one with deno task fer run ${path} --seed 3 (deno task fer list`);
    const first = await cli("run", path, "--seed", "3", "--stop-after-epoch", "1", "--no-images");
    const id = /Go on with: deno task fer resume (\S+)/.exec(first.err)?.[1] ?? "";
    expect(id).toMatch(/-tiny_by_config-/);
    // The config's own seed is another experiment: its run is not this one.
    expect((await cli("resume", path, "--stop-after-epoch", "2")).err).toContain(`No run of ${path} stopped with its checkpoint`);
    const second = await cli("resume", path, "--seed", "3", "--stop-after-epoch", "2", "--no-images");
    expect(second.code).toBe(0);
    expect(second.err).toContain(`Going on with run ${id}, the newest run of ${path} (--seed 3) that stopped with its checkpoint`);
    expect(second.err).toContain(`Sitting over: stopped after epoch 2, as asked. Go on with: deno task fer resume ${id}`);
    expect(await epochsIn(id)).toBe(2);
    // A run id names its run and settings; an ensemble's own fer run goes on with its members.
    expect((await cli("resume", id, "--seed", "3")).err).toContain(`--seed picks the run of a config; ${id} is a run id`);
    expect((await cli("resume", "experiments/ensemble_soft_vote.json")).err).toContain("is an ensemble config: deno task fer run experiments/ensemble_soft_vote.json goes on");
    expect((await cli("resume", "--help")).out).toContain("deno task fer resume <config.json> [--seed S]");
  });

  it("ends a sitting inside the training of a source the run needs first with status 0; the same command goes on with it", async () => {
    const config = JSON.parse(await readFile(configPath, "utf8"));
    const sourcePath = join(dir, "source_in_sittings.json");
    await writeFile(sourcePath, JSON.stringify({ ...config, name: "source_in_sittings", seed: 5 }));
    const studentPath = join(dir, "student_in_sittings.json");
    await writeFile(studentPath, JSON.stringify({ ...config, name: "student_in_sittings", training: { ...config.training, epochs: 1, initFrom: sourcePath } }));
    const first = await cli("run", studentPath, "--stop-after-epoch", "1", "--no-images");
    expect(first.code).toBe(0);
    const source = /in the training of run (\S+), which this one needs first/.exec(first.err)?.[1];
    expect(source, first.err).toMatch(/-source_in_sittings-/);
    expect(first.err).toContain(`Sitting over: stopped after epoch 1, as asked, in the training of run ${source}, which this one needs first. Training of ${sourcePath}`);
    expect(await epochsIn(source!)).toBe(1);
    const second = await cli("run", studentPath, "--no-images");
    expect(second.code).toBe(0);
    expect(second.err).toContain(`training.initFrom: run ${source} of ${sourcePath} stopped before it completed, with its checkpoint: going on with it first`);
    expect(await epochsIn(source!)).toBe(3);
    expect(second.out).toMatch(/Run \S+-student_in_sittings-\S+: completed/);
  });

  it("starts no run when the sitting ends as the source it needs completes; the same command trains it", async () => {
    const config = JSON.parse(await readFile(configPath, "utf8"));
    const sourcePath = join(dir, "source_of_two.json");
    await writeFile(sourcePath, JSON.stringify({ ...config, name: "source_of_two", seed: 6, training: { ...config.training, epochs: 2 } }));
    const studentPath = join(dir, "student_of_two.json");
    await writeFile(studentPath, JSON.stringify({ ...config, name: "student_of_two", training: { ...config.training, epochs: 1, initFrom: sourcePath } }));
    const runsNamed = async (name: string) => (await readdir(join(results, "runs"))).filter((id) => id.includes(`-${name}-`));
    const first = await cli("run", studentPath, "--stop-after-epoch", "2", "--no-images");
    expect(first.code).toBe(0);
    expect(first.err).toContain("Sitting over: stopped after epoch 2, as asked. student_of_two was not started: the runs it needs first are complete");
    expect(await runsNamed("student_of_two")).toEqual([]); // no folder that would stop before its first epoch
    const [source] = await runsNamed("source_of_two");
    expect(await epochsIn(source)).toBe(2);
    const second = await cli("run", studentPath, "--no-images");
    expect(second.code).toBe(0);
    expect(second.err).toContain(`training.initFrom: run ${source}, an earlier run of ${sourcePath}`);
    expect(await runsNamed("student_of_two")).toHaveLength(1);
  });

  it("trains an ensemble's members in sittings: a time budget stops inside a member, and the same command goes on with it", async () => {
    const config = JSON.parse(await readFile(configPath, "utf8"));
    const ensemblePath = join(dir, "ensemble_in_sittings.json");
    const member = (name: string, seed: number) => ({ config: { ...config, name, seed, training: { ...config.training, epochs: 2 } } });
    await writeFile(ensemblePath, JSON.stringify({ kind: "ensemble", name: "ensemble_in_sittings", backend: "wasm", members: [member("member_a", 21), member("member_b", 22)] }));
    // A budget of 1 ms: the first epoch of a sitting always runs, and none fits after it.
    const first = await cli("run", ensemblePath, "--time-budget", "0.001s", "--no-images");
    expect(first.code, first.err).toBe(0);
    const memberRun = /in the training of run (\S+), which this one needs first/.exec(first.err)?.[1];
    expect(memberRun, first.err).toMatch(/-member_a-/);
    expect(first.err).toContain("Training of member 0 (member_a) was stopped; its run");
    expect(await epochsIn(memberRun!)).toBe(1);
    const past = await cli("run", ensemblePath, "--until", "2020-01-01T00:00Z", "--no-images");
    expect(past.code).toBe(0);
    expect(past.err).toContain("Sitting over before it began");
    const second = await cli("run", ensemblePath, "--time-budget", "10h", "--no-images");
    expect(second.code, second.err).toBe(0);
    expect(second.err).toContain(`Member 0 (member_a): run ${memberRun} of this config and seed stopped before it completed, with its checkpoint: going on with it`);
    expect(await epochsIn(memberRun!)).toBe(2);
    expect(second.out).toMatch(/Run \S+-ensemble_in_sittings-\S+: completed/);
  });

  it("refuses limits where a sitting could not be resumed or means nothing", async () => {
    const cases: [string[], RegExp][] = [
      [["run", configPath, "--stop-after-epoch", "0"], /--stop-after-epoch 0: give a whole number of epochs >= 1/],
      [["run", configPath, "--stop-after-epoch", "two"], /--stop-after-epoch two: give a whole number/],
      [["run", configPath, "--time-budget", "90"], /--time-budget 90 is not a duration; write it with units, e\.g\. 90m/],
      [["run", configPath, "--time-budget", "0m"], /--time-budget 0m is no time at all/],
      [["run", configPath, "--stop-after-epoch", "2", "--estimate"], /--estimate trains nothing/],
      [["run", configPath, "--until", "7pm"], /--until 7pm is not a time; give a clock time \(07:30, the next one to come\)/],
      [["run", configPath, "--until", "25:00"], /--until 25:00 is not a time/],
      [["run", "experiments/ensemble_soft_vote.json", "--stop-after-epoch", "2"], /--stop-after-epoch counts the epochs of one run, and an ensemble trains its members one after another: give it --time-budget or --until/],
    ];
    for (const [args, message] of cases) {
      const { code, err } = await cli(...args);
      expect(code, args.join(" ")).toBe(1);
      expect(err, args.join(" ")).toMatch(message);
    }
  });

  it("documents both options in fer run and fer resume's help", async () => {
    for (const command of ["run", "resume"]) {
      const { out } = await cli(command, "--help");
      expect(out).toContain("--stop-after-epoch N");
      expect(out).toContain("--time-budget T");
      expect(out).toContain("--until TIME");
    }
  });
});

describe("parseDuration and sittingFromFlags", () => {
  it("reads durations with units, summed", () => {
    expect(parseDuration("90m", "t")).toBe(5400);
    expect(parseDuration("1h30m", "t")).toBe(5400);
    expect(parseDuration("1h 30m", "t")).toBe(5400);
    expect(parseDuration("1.5h", "t")).toBe(5400);
    expect(parseDuration("45s", "t")).toBe(45);
    expect(parseDuration("2H", "t")).toBe(7200);
    for (const bad of ["", "90", "h", "1h30", "1d", "-5m", "5m later"]) expect(() => parseDuration(bad, "t"), bad).toThrow(/not a duration/);
  });

  it("is null without any limit, and carries them when given", () => {
    expect(sittingFromFlags({ "no-images": true })).toBeNull();
    expect(sittingFromFlags({ "stop-after-epoch": "12", "time-budget": "2h" })).toEqual({ afterEpoch: 12, seconds: 7200 });
  });

  it("reads a clock time as the next one to come, or a date and time in a zone", () => {
    const now = new Date(2026, 11, 5, 13, 20, 0); // 13:20 local time
    expect(parseClockTime("14:05", "t", now)).toEqual(new Date(2026, 11, 5, 14, 5, 0));
    expect(parseClockTime("7:30", "t", now)).toEqual(new Date(2026, 11, 6, 7, 30, 0)); // tomorrow's
    expect(parseClockTime("13:20", "t", now)).toEqual(new Date(2026, 11, 6, 13, 20, 0)); // now is not to come
    expect(parseClockTime("2026-12-06T07:30", "t", now)).toEqual(new Date(2026, 11, 6, 7, 30, 0));
    expect(parseClockTime("2026-12-06 07:30:15", "t", now)).toEqual(new Date(2026, 11, 6, 7, 30, 15));
    expect(parseClockTime("2026-12-06T07:30Z", "t", now).toISOString()).toBe("2026-12-06T07:30:00.000Z");
    expect(parseClockTime("2026-12-06T07:30:00.000+01:00", "t", now).toISOString()).toBe("2026-12-06T06:30:00.000Z");
    expect(parseClockTime("2028-02-29T23:59:59", "t", now)).toEqual(new Date(2028, 1, 29, 23, 59, 59)); // a leap day
    const bad = ["", "7", "7pm", "24:00", "12:60", "tomorrow", "2026-12-06", "2026-13-06T07:30", "2026-12-06T07:30 UTC"];
    // Dates Date would roll over to others without a word.
    bad.push("2026-02-29T07:30", "2026-04-31T07:30Z", "2026-12-00T07:30", "2026-12-06T24:00", "2026-12-06T07:60", "2026-12-06T07:30:60");
    for (const text of bad) {
      expect(() => parseClockTime(text, "--until", now), text).toThrow(/--until .* is not a time/);
    }
  });

  it("turns --until into the seconds to it, keeps the sooner of it and --time-budget, and a past one into none", () => {
    const now = new Date("2026-12-05T13:00:00Z");
    expect(sittingFromFlags({ until: "2026-12-05T15:30Z" }, now)).toEqual({ seconds: 9000, endsAt: "2026-12-05T15:30Z" });
    expect(sittingFromFlags({ until: "2026-12-05T15:30Z", "time-budget": "2h" }, now)).toEqual({ seconds: 7200 });
    expect(sittingFromFlags({ until: "2026-12-05T14:00Z", "time-budget": "2h" }, now)).toEqual({ seconds: 3600, endsAt: "2026-12-05T14:00Z" });
    const past = sittingFromFlags({ until: "2026-12-05T12:00Z" }, now);
    expect(past).toEqual({ seconds: 0, endsAt: "2026-12-05T12:00Z" });
    expect(sittingOverBeforeStart(past)).toBe("2026-12-05T12:00Z has passed; nothing was trained");
    expect(sittingOverBeforeStart(sittingFromFlags({ until: "2026-12-05T14:00Z" }, now))).toBeNull();
    expect(sittingOverBeforeStart(null)).toBeNull();
  });
});
