/**
 * How long a sweep would take here, before it runs: each setting's config
 * is estimated once (its seeds train alike, so they take the same time) and
 * multiplied by its trials; a source config the trials train first (an
 * `initFrom` or teacher named by config path, with no completed run) is
 * estimated once, however many settings name it, as the sweep trains it once;
 * a teachers' pass is counted once for the trials that share its teachers and data.
 *
 * @module
 */
import {
  busyCpuLine,
  cpuLoadNow,
  type CpuLoad,
  type EstimateOptions,
  estimateTrainingTime,
  trainedFirstLines,
  trainedFirstSeconds,
  trainedFirstTrainings,
  trainingLeft,
  type TrainingTimeEstimate,
} from "../experiment/estimate_training_time.ts";
import type { RunContext } from "../experiment/run_context.ts";
import { formatSeconds } from "../train/progress_bar.ts";
import { sittingsFor } from "../train/sitting_limit.ts";
import { describeParams, isEnsembleTrial, type SweepTrial } from "./expand_trials.ts";

/** One setting's estimate and how many trials (seeds) run it. */
export interface SettingEstimate {
  setting: string;
  params: Record<string, unknown>;
  trials: number;
  estimate: TrainingTimeEstimate;
}

/** What {@linkcode estimateSweep} returns. */
export interface SweepEstimate {
  settings: SettingEstimate[];
  /** The sources first, then every trial one after another, in seconds. */
  serialSeconds: number;
  /** Each trial's setting, in the order the trials run (seeds, then settings, as `expandTrials` lists them). */
  trialSettings: string[];
  /** The CPU's load and cores before the first setting was timed. */
  cpu: CpuLoad;
}

/**
 * Estimates each setting of the trials once and sums over the trials. Run trials only: a sweep of ensemble trials
 * is estimated by estimateEnsembleSweep.
 *
 * @param trials The sweep's trials (expandTrials).
 * @param paths Project, results and cache folders, and where the log goes.
 * @param options Steps to time per setting (see estimateTrainingTime).
 * @returns Per setting, and the serial total.
 * @throws {ConfigError} As estimateTrainingTime (a transfer setting, bad steps).
 * @example
 * ```ts
 * const estimate = await estimateSweep(expandTrials(spec.sweep, spec.base), { projectRoot: ".", resultsRoot: "results", cacheDir: null });
 * console.log(sweepEstimateLines(estimate).join("\n"));
 * ```
 */
export async function estimateSweep(
  trials: readonly SweepTrial[],
  paths: Pick<RunContext, "projectRoot" | "resultsRoot" | "cacheDir"> & Partial<Pick<RunContext, "log">>,
  options: Pick<EstimateOptions, "steps" | "clock" | "cpu"> = {},
): Promise<SweepEstimate> {
  const cpu = await (options.cpu ?? cpuLoadNow)();
  const bySetting = new Map<string, SweepTrial[]>();
  for (const trial of trials) bySetting.set(trial.setting, [...(bySetting.get(trial.setting) ?? []), trial]);
  const settings: SettingEstimate[] = [];
  // A source is trained once for all the trials that name it (first, with a budget or trials at once): counted once.
  const trainedBefore = new Set<string>();
  // The teachers and data of each setting, which key its teachers' pass.
  const passKeys = new Map<string, string>();
  for (const [setting, group] of bySetting) {
    const config = group[0].config;
    if (isEnsembleTrial(config)) throw new Error(`estimateSweep was given ensemble trials (${setting}); use estimateEnsembleSweep`);
    paths.log?.(`Estimating ${setting} (${describeParams(group[0].params)})`);
    const estimate = await estimateTrainingTime(config, { ...paths, log: () => {} }, { ...options, cpu: () => cpu, sources: true, trainedBefore });
    settings.push({ setting, params: group[0].params, trials: group.length, estimate });
    passKeys.set(setting, JSON.stringify([config.training.distill?.teachers, config.dataset]));
  }
  const sourcesSeconds = settings.flatMap((s) => s.estimate.sources).reduce((sum, source) => sum + trainedFirstSeconds(source), 0);
  // The teachers' scores are cached by the first trial that computes them: trials with the same teachers and
  // training images read them, so each such pass is counted once.
  const passes = new Set<string>();
  const trialsSeconds = settings.reduce((sum, s) => {
    const pass = s.estimate.teacherPass?.seconds ?? 0;
    const key = passKeys.get(s.setting)!;
    const first = pass > 0 && !passes.has(key);
    if (first) passes.add(key);
    return sum + s.trials * (s.estimate.totalSeconds - pass) + (first ? pass : 0);
  }, 0);
  return {
    settings,
    serialSeconds: sourcesSeconds + trialsSeconds,
    trialSettings: trials.map((trial) => trial.setting),
    cpu,
  };
}

/**
 * How many invocations with a time budget of `seconds` (`fer sweep --time-budget`) the sweep takes, its trials
 * one after another: by the rule a sweep's budget runs by, which is a sitting's (`sittingsFor`): no epoch is cut,
 * a trial stops at the epoch's end after which its next would end past the budget, and the invocation then ends
 * (the next one resumes that trial first); a trial that completes leaves the next to the next invocation when
 * that trial's epoch would not fit in what is left. The sources the trials train first come first, as a sweep
 * with a budget trains them. Each trial's start is not counted.
 *
 * @param estimate From {@linkcode estimateSweep}.
 * @param seconds The budget of one invocation.
 * @returns Invocations, at least 1 (0 for a sweep with no trials).
 * @example
 * ```ts
 * sweepSittings(estimate, 8 * 3600); // e.g. 3: run the sweep three times with --time-budget 8h
 * ```
 */
export function sweepSittings(estimate: SweepEstimate, seconds: number): number {
  const bySetting = new Map(estimate.settings.map((s) => [s.setting, s.estimate]));
  return sittingsFor(
    [
      ...estimate.settings.flatMap((s) => s.estimate.sources.flatMap(trainedFirstTrainings)),
      ...estimate.trialSettings.map((setting) => trainingLeft(bySetting.get(setting)!)),
    ],
    seconds,
  );
}

/**
 * The estimate as lines for a terminal: one per setting, then the total, and with `sittingSeconds` how many
 * invocations of that budget the sweep takes ({@linkcode sweepSittings}).
 *
 * @param estimate From {@linkcode estimateSweep}.
 * @param sittingSeconds An invocation's time budget (`--time-budget`), or undefined for none.
 * @returns Lines without trailing newlines.
 * @example
 * ```ts
 * for (const line of sweepEstimateLines(estimate, 8 * 3600)) console.log(line);
 * ```
 */
export function sweepEstimateLines(estimate: SweepEstimate, sittingSeconds?: number): string[] {
  const lines: string[] = [];
  for (const source of estimate.settings.flatMap((s) => s.estimate.sources)) {
    lines.push(...trainedFirstLines(`Source ${source.reference}`, source, "trained first, once for all the trials that name it"));
  }
  for (const { setting, params, trials, estimate: e } of estimate.settings) {
    lines.push(
      `  ${setting}  ${describeParams(params)}: ${trials} trial(s) x ${formatSeconds(e.totalSeconds)} ` +
        `(${e.backend.name} ${e.backend.precision}, ${Math.round(e.trainImagesPerSecond)} training images/s, ${e.epochs} epoch(s))`,
    );
    for (const note of e.notIncluded) lines.push(`        not included: ${note}`);
  }
  lines.push(
    `Estimated sweep time here, ${estimate.settings.some((s) => s.estimate.sources.length > 0) ? "the sources first, then " : ""}one trial after another: ` +
      `${formatSeconds(estimate.serialSeconds)}, plus each trial's start ` +
      "(the runtime and the decoded dataset load, seconds); trials at once (--parallel, Ray) share a machine's cores or " +
      "spread over nodes, so the wall time depends on them",
  );
  if (sittingSeconds !== undefined) {
    const budget = formatSeconds(sittingSeconds);
    const sittings = sweepSittings(estimate, sittingSeconds);
    lines.push(
      sittings <= 1
        ? `With --time-budget ${budget}: it fits in one invocation, one trial after another`
        : `With --time-budget ${budget}: about ${sittings} invocations, one trial after another (each ends at an epoch's end; ` +
          `run the same fer sweep --time-budget ${budget} again to go on; each trial's start not counted)`,
    );
  }
  const busy = busyCpuLine(estimate.cpu);
  if (busy) lines.push(`  ${busy}`);
  return lines;
}
