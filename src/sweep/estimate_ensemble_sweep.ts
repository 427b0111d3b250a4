/**
 * How long a sweep of ensemble trials would take here (`fer sweep --estimate`
 * with an ensemble base): its members are trained once, by its first trial (or
 * first, by the sweep, when trials run at once), and every trial then scores
 * them and fits its combiner. A member's scores are kept in the score cache,
 * so a member is scored once over a given set of views: the other seeds of a
 * setting, and the settings that change only the combiner or its fitting,
 * read them there. Fitting a combiner takes seconds and is not counted.
 *
 * Each setting is estimated as `fer run <ensemble> --estimate` estimates it
 * (`estimateEnsemble`), the members trained by an earlier setting counted
 * there; a setting with the same members, views, data and backend as an
 * earlier one (a sweep over the combiner or its fitting) adds nothing and is
 * not estimated again, since estimating a member with a run loads its data.
 *
 * @module
 */
import { busyCpuLine, cpuLoadNow, type CpuLoad, type EstimateOptions } from "../experiment/estimate_training_time.ts";
import type { RunContext } from "../experiment/run_context.ts";
import { formatSeconds } from "../train/progress_bar.ts";
import { type EnsembleEstimate, ensembleEstimateLines, estimateEnsemble } from "../ensemble/estimate_ensemble.ts";
import type { EnsembleConfig } from "../ensemble/ensemble_config.ts";
import { describeParams, isEnsembleTrial, type SweepTrial } from "./expand_trials.ts";

/** One setting of an ensemble sweep: its estimate, its trials, and what it adds to the sweep's time. */
export interface EnsembleSettingEstimate {
  setting: string;
  params: Record<string, unknown>;
  trials: number;
  estimate: EnsembleEstimate;
  /** Its members' scoring that no earlier setting pays for (over the same views: read from the cache), in seconds. */
  scoringSeconds: number;
  /** Members an earlier setting trained, over views no earlier setting scored them with: not priced. */
  unpricedMembers: number;
  /** The earlier setting with the same members, views, data and backend, whose estimate this is: nothing to add. */
  sameMembersAs?: string;
}

/** What {@linkcode estimateEnsembleSweep} returns. */
export interface EnsembleSweepEstimate {
  settings: EnsembleSettingEstimate[];
  /** The members to train, each once, with their sources, in seconds. */
  trainingSeconds: number;
  /** The members' scoring, each member over each set of views once, in seconds. */
  scoringSeconds: number;
  /** The CPU's load and cores before the first setting was timed. */
  cpu: CpuLoad;
}

/**
 * Estimates each setting of an ensemble sweep once, in the order its trials run.
 *
 * @param trials The sweep's trials (expandTrials of an ensemble base).
 * @param paths Project, results and cache folders, and where the log goes.
 * @param options Steps to time per member to train (see estimateTrainingTime).
 * @returns Per setting, and the totals.
 * @throws {ConfigError} As estimateEnsemble (a member config that cannot be read, a transfer member to train).
 * @example
 * ```ts
 * const estimate = await estimateEnsembleSweep(expandTrials(spec.sweep, spec.base), { projectRoot: ".", resultsRoot: "results", cacheDir: ".cache/datasets" });
 * console.log(ensembleSweepEstimateLines(estimate).join("\n"));
 * ```
 */
export async function estimateEnsembleSweep(
  trials: readonly SweepTrial[],
  paths: Pick<RunContext, "projectRoot" | "resultsRoot" | "cacheDir"> & Partial<Pick<RunContext, "log">>,
  options: Pick<EstimateOptions, "steps" | "clock" | "cpu"> = {},
): Promise<EnsembleSweepEstimate> {
  const cpu = await (options.cpu ?? cpuLoadNow)();
  const bySetting = new Map<string, SweepTrial[]>();
  for (const trial of trials) bySetting.set(trial.setting, [...(bySetting.get(trial.setting) ?? []), trial]);
  // A member is trained once for the whole sweep, and scored once over each set of views.
  const trainedBefore = new Set<string>();
  const scored = new Set<string>();
  const settings: EnsembleSettingEstimate[] = [];
  // The first setting of each set of members, views, data and backend.
  const firstWith = new Map<string, EnsembleSettingEstimate>();
  for (const [setting, group] of bySetting) {
    const config = group[0].config;
    if (!isEnsembleTrial(config)) throw new Error(`estimateEnsembleSweep was given run trials (${setting}); use estimateSweep`);
    const membersKey = JSON.stringify([config.members, config.tta, config.dataset, config.backend]);
    const earlier = firstWith.get(membersKey);
    if (earlier) {
      settings.push({ ...earlier, setting, params: group[0].params, trials: group.length, scoringSeconds: 0, unpricedMembers: 0, sameMembersAs: earlier.setting });
      continue;
    }
    paths.log?.(`Estimating ${setting} (${describeParams(group[0].params)})`);
    const estimate = await estimateEnsemble(config, { ...paths, log: () => {} }, { ...options, cpu: () => cpu, trainedBefore });
    let scoringSeconds = 0, unpricedMembers = 0;
    for (const member of estimate.members) {
      // A member with a run is known by it; one to train, or trained by an earlier setting, by its config's name.
      const key = `${"runId" in member ? member.runId : member.name}\n${JSON.stringify(memberViews(config, member.index))}`;
      if (member.how === "to train") {
        // Trained for this setting: a new model, scored (or kept by its run) whatever was scored before.
        scoringSeconds += member.scoring.seconds;
        scored.add(key);
      } else if (!scored.has(key)) {
        if (member.how === "trained before") unpricedMembers++;
        else {
          scoringSeconds += member.scoring.seconds;
          scored.add(key);
        }
      }
    }
    const estimated: EnsembleSettingEstimate = { setting, params: group[0].params, trials: group.length, estimate, scoringSeconds, unpricedMembers };
    settings.push(estimated);
    firstWith.set(membersKey, estimated);
  }
  return {
    settings,
    trainingSeconds: settings.reduce((sum, s) => sum + (s.sameMembersAs ? 0 : s.estimate.trainingSeconds), 0),
    scoringSeconds: settings.reduce((sum, s) => sum + s.scoringSeconds, 0),
    cpu,
  };
}

/** The views an ensemble scores one member over: its own `tta`, else the ensemble's. */
function memberViews(config: EnsembleConfig, index: number): unknown {
  const spec = config.members[index];
  return spec.tta === undefined ? config.tta : spec.tta;
}

/**
 * The estimate as lines for a terminal: the first setting's members (what the sweep trains), one line per
 * setting, then the total.
 *
 * @param estimate From {@linkcode estimateEnsembleSweep}.
 * @returns Lines without trailing newlines.
 * @example
 * ```ts
 * for (const line of ensembleSweepEstimateLines(estimate)) console.log(line);
 * ```
 */
export function ensembleSweepEstimateLines(estimate: EnsembleSweepEstimate): string[] {
  const lines: string[] = [];
  const [first] = estimate.settings;
  if (first) {
    lines.push(`Members, as ${first.setting} makes them:`);
    // Its total line and CPU note are the sweep's to say.
    const memberLines = ensembleEstimateLines(first.estimate).filter((line) => !line.startsWith("Estimated ensemble time here:") && !line.startsWith("  the CPU"));
    lines.push(...memberLines.map((line) => `  ${line}`));
  }
  for (const s of estimate.settings) {
    if (s.sameMembersAs) {
      lines.push(`  ${s.setting}  ${describeParams(s.params)}: ${s.trials} trial(s); the members and views of ${s.sameMembersAs}: nothing more to train or score`);
      continue;
    }
    const training = s.estimate.trainingSeconds > 0 ? `${formatSeconds(s.estimate.trainingSeconds)} to train members, ` : "";
    const unpriced = s.unpricedMembers > 0 ? `; ${s.unpricedMembers} member(s) trained for an earlier setting, over other views: not priced` : "";
    lines.push(
      `  ${s.setting}  ${describeParams(s.params)}: ${s.trials} trial(s); ${training}${formatSeconds(s.scoringSeconds)} to score members ` +
        `no earlier trial scored over these views${unpriced}`,
    );
  }
  const total = estimate.trainingSeconds + estimate.scoringSeconds;
  lines.push(
    `Estimated sweep time here, one trial after another: ${formatSeconds(total)}: ${formatSeconds(estimate.trainingSeconds)} to train the members ` +
      `once, ${formatSeconds(estimate.scoringSeconds)} to score each member once over each set of views (the other trials read the score cache), ` +
      "plus, per trial, its start, loading each member's decoded data from the cache, and fitting its combiner",
  );
  const busy = busyCpuLine(estimate.cpu);
  if (busy) lines.push(`  ${busy}`);
  return lines;
}
