/**
 * How long `fer run <ensemble>` would take here: the members that have no
 * completed run yet are trained first, so each of those is estimated (as
 * `fer run <member> --estimate` does, with the source configs it trains
 * first; for one whose run stopped with its checkpoint, the epochs it has
 * left); members named by run id, or with an identical completed run, cost
 * nothing to train, and a member or source trained once for an earlier
 * member is not counted again.
 *
 * @module
 */
import {
  busyCpuLine,
  cpuLoadNow,
  type CpuLoad,
  type EstimateOptions,
  estimateTrainingTime,
  type TrainedFirst,
  trainedFirst,
  trainedFirstLines,
  trainedFirstSeconds,
} from "../experiment/estimate_training_time.ts";
import { experimentHash, findIdenticalRun, findResumableIdenticalRun } from "../experiment/find_identical_run.ts";
import { resumePoint } from "../experiment/resumable_run.ts";
import type { RunContext } from "../experiment/run_context.ts";
import { formatSeconds } from "../train/progress_bar.ts";
import type { EnsembleConfig } from "./ensemble_config.ts";
import { memberRunConfig } from "./resolve_members.ts";

/**
 * One member: a run there already; the same experiment as an earlier member
 * or one of its sources, trained for it (`"trained before"`); or a config to train
 * and its estimate (a whole run's, with its sources), with `seconds`: the
 * whole run, or, for a run of it that stopped with its checkpoint
 * (`resumes`), the epochs left and the final scoring (its sources' time
 * apart: {@linkcode trainedFirstSeconds}).
 */
export type MemberEstimate =
  | { index: number; name: string; runId: string; how: "run" | "reused" }
  | { index: number; name: string; how: "trained before" }
  | ({ index: number; name: string; how: "to train" } & TrainedFirst);

/** What {@linkcode estimateEnsemble} returns. */
export interface EnsembleEstimate {
  members: MemberEstimate[];
  /** The members still to train, one after another, with the sources they train first, in seconds. */
  trainingSeconds: number;
  /** The CPU's load and cores before the first member was timed. */
  cpu: CpuLoad;
}

/**
 * Estimates the training of each member of an ensemble that has no run yet.
 *
 * @param config The ensemble config.
 * @param paths Project, results and cache folders, and where the log goes.
 * @param options Steps to time per member (see estimateTrainingTime).
 * @returns Per member, and the total training time.
 * @throws {ConfigError} For a member config that cannot be read, or one estimateTrainingTime refuses (transfer).
 * @example
 * ```ts
 * const estimate = await estimateEnsemble(ensembleConfig, { projectRoot: ".", resultsRoot: "results", cacheDir: null });
 * console.log(ensembleEstimateLines(estimate).join("\n"));
 * ```
 */
export async function estimateEnsemble(
  config: EnsembleConfig,
  paths: Pick<RunContext, "projectRoot" | "resultsRoot" | "cacheDir"> & Partial<Pick<RunContext, "log">>,
  options: Pick<EstimateOptions, "steps" | "clock" | "cpu"> = {},
): Promise<EnsembleEstimate> {
  // Read once: timing one member raises the load the next one would read.
  const cpu = await (options.cpu ?? cpuLoadNow)();
  const members: MemberEstimate[] = [];
  // Members are trained in order, each after its sources: what one of them trains is there for the later ones.
  const trainedBefore = new Set<string>();
  for (const [index, member] of config.members.entries()) {
    if ("run" in member) {
      members.push({ index, name: member.run, runId: member.run, how: "run" });
      continue;
    }
    const memberConfig = await memberRunConfig(member.config, index, paths.projectRoot);
    const reusable = await findIdenticalRun(paths.resultsRoot, memberConfig, paths.projectRoot);
    if (reusable) {
      members.push({ index, name: memberConfig.name, runId: reusable.id, how: "reused" });
      continue;
    }
    const hash = experimentHash(memberConfig);
    if (trainedBefore.has(hash)) {
      members.push({ index, name: memberConfig.name, how: "trained before" });
      continue;
    }
    paths.log?.(`Estimating member ${index} (${memberConfig.name}), which has no completed run yet`);
    const estimate = await estimateTrainingTime(memberConfig, { ...paths, log: () => {} }, { ...options, cpu: () => cpu, sources: true, trainedBefore });
    trainedBefore.add(hash);
    // A run of it that stopped with its checkpoint goes on from there (resolveMembers): only its epochs left count.
    const stopped = await findResumableIdenticalRun(paths.resultsRoot, memberConfig, paths.projectRoot);
    const point = stopped ? await resumePoint(paths.resultsRoot, stopped.id) : null;
    const resumes = stopped && point ? { runId: stopped.id, epochsDone: point.epochsDone } : undefined;
    members.push({ index, name: memberConfig.name, how: "to train", ...trainedFirst(estimate, resumes) });
  }
  const trainingSeconds = members.reduce((sum, m) => sum + (m.how === "to train" ? trainedFirstSeconds(m) : 0), 0);
  return { members, trainingSeconds, cpu };
}

/**
 * The estimate as lines for a terminal: each member, then the total.
 *
 * @param estimate From {@linkcode estimateEnsemble}.
 * @returns Lines without trailing newlines.
 * @example
 * ```ts
 * for (const line of ensembleEstimateLines(estimate)) console.log(line);
 * ```
 */
export function ensembleEstimateLines(estimate: EnsembleEstimate): string[] {
  const lines: string[] = [];
  for (const member of estimate.members) {
    if (member.how === "trained before") {
      lines.push(`Member ${member.index} (${member.name}): the same experiment as an earlier member or one of its sources, trained for it and counted there`);
      continue;
    }
    if (member.how !== "to train") {
      lines.push(`Member ${member.index} (${member.name}): run ${member.runId}${member.how === "reused" ? ", an identical completed run, reused" : ""}; nothing to train`);
      continue;
    }
    lines.push(...trainedFirstLines(`Member ${member.index} (${member.name})`, member));
  }
  lines.push(
    `Estimated ensemble time here: ${formatSeconds(estimate.trainingSeconds)} to train the members that have no run (with the sources they train first), ` +
      "plus scoring, over its test-time views on validation and test, each member whose scores are not in the cache from an earlier ensemble (as each run's final scoring), and fitting the combiner",
  );
  const busy = busyCpuLine(estimate.cpu);
  if (busy) lines.push(`  ${busy}`);
  return lines;
}
