/**
 * How long a sweep would take here, before it runs: each setting's config
 * is estimated once (its seeds train alike, so they take the same time) and
 * multiplied by its trials.
 *
 * @module
 */
import {
  busyCpuLine,
  cpuLoadNow,
  type CpuLoad,
  type EstimateOptions,
  estimateTrainingTime,
  type TrainingTimeEstimate,
} from "../experiment/estimate_training_time.ts";
import type { RunContext } from "../experiment/run_context.ts";
import { formatSeconds } from "../train/progress_bar.ts";
import { describeParams, type SweepTrial } from "./expand_trials.ts";

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
  /** Every trial one after another, in seconds. */
  serialSeconds: number;
  /** The CPU's load and cores before the first setting was timed. */
  cpu: CpuLoad;
}

/**
 * Estimates each setting of the trials once and sums over the trials.
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
  for (const [setting, group] of bySetting) {
    paths.log?.(`Estimating ${setting} (${describeParams(group[0].params)})`);
    const estimate = await estimateTrainingTime(group[0].config, { ...paths, log: () => {} }, { ...options, cpu: () => cpu });
    settings.push({ setting, params: group[0].params, trials: group.length, estimate });
  }
  return { settings, serialSeconds: settings.reduce((sum, s) => sum + s.trials * s.estimate.totalSeconds, 0), cpu };
}

/**
 * The estimate as lines for a terminal: one per setting, then the total.
 *
 * @param estimate From {@linkcode estimateSweep}.
 * @returns Lines without trailing newlines.
 * @example
 * ```ts
 * for (const line of sweepEstimateLines(estimate)) console.log(line);
 * ```
 */
export function sweepEstimateLines(estimate: SweepEstimate): string[] {
  const lines: string[] = [];
  for (const { setting, params, trials, estimate: e } of estimate.settings) {
    lines.push(
      `  ${setting}  ${describeParams(params)}: ${trials} trial(s) x ${formatSeconds(e.totalSeconds)} ` +
        `(${e.backend.name} ${e.backend.precision}, ${Math.round(e.trainImagesPerSecond)} training images/s, ${e.epochs} epoch(s))`,
    );
    for (const note of e.notIncluded) lines.push(`        not included: ${note}`);
  }
  lines.push(
    `Estimated sweep time here, one trial after another: ${formatSeconds(estimate.serialSeconds)}, plus each trial's start ` +
      "(the runtime and the decoded dataset load, seconds); trials at once (--parallel, Ray) share a machine's cores or " +
      "spread over nodes, so the wall time depends on them",
  );
  const busy = busyCpuLine(estimate.cpu);
  if (busy) lines.push(`  ${busy}`);
  return lines;
}
