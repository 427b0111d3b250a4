/**
 * Turns an ensemble's member list into finished runs: named runs are opened,
 * member configs are trained (or go on from the checkpoint of a run of them
 * that stopped before completing), or an identical earlier run is reused.
 *
 * @module
 */
import { resolve } from "node:path";
import { ConfigError, RunNotStartedError } from "../core/errors.ts";
import type { RunConfig } from "../experiment/run_config.ts";
import type { RunContext } from "../experiment/run_context.ts";
import { resumeExperiment, runExperiment } from "../experiment/run_experiment.ts";
import { openRun, type RunHandle } from "../experiment/run_store.ts";
import { findIdenticalRun, findResumableIdenticalRun } from "../experiment/find_identical_run.ts";
import type { EnsembleConfig } from "./ensemble_config.ts";
import { readConfigFile } from "./read_config_file.ts";
import type { TtaConfig } from "../predict/tta_config.ts";

/** A member ready to predict. */
export interface ResolvedMember {
  run: RunHandle;
  /** `run`: named by id; `trained`: trained now from its config; `reused`: an earlier run with the same resolved config. */
  source: "run" | "trained" | "reused";
  /** TTA for this member: its own setting, else the ensemble's. */
  tta: TtaConfig | null;
  /**
   * The member config's name, for a member given as a config; null for one named by run id.
   * A reused run may carry an older name (configs get renamed; reuse ignores names), so
   * the ensemble's tables show this one.
   */
  configName: string | null;
}

/**
 * Resolves every member, in order. A member config (a file path relative to
 * the project, or an inline config) is trained with `runExperiment` unless a
 * completed run with an identical resolved config (same seed included; its
 * `name` and free-text `notes` aside) and a saved model is already in the
 * results folder: then the newest such run is reused, and the log says so.
 *
 * @param config The ensemble config.
 * @param ctx The run context (results folder, logging, stop signal) members are trained with.
 * @returns One resolved member per config entry.
 * @throws {ConfigError} For an unknown run id, a member config that is an ensemble, or a repeated member.
 * @throws {RunNotStartedError} When the context's signal stops a member's training, or is aborted before a member
 *   still to train (a sitting's end as the one before it completed).
 * @example
 * ```ts
 * const members = await resolveMembers(config, ctx);
 * ```
 */
export async function resolveMembers(config: EnsembleConfig, ctx: RunContext): Promise<ResolvedMember[]> {
  const resolved: ResolvedMember[] = [];
  for (const [i, member] of config.members.entries()) {
    const tta = member.tta === undefined ? config.tta : member.tta;
    if ("run" in member) {
      resolved.push({ run: await openRun(ctx.resultsRoot, member.run), source: "run", tta, configName: null });
      ctx.log(`Member ${i}: run ${member.run}`);
      continue;
    }
    const memberConfig = await memberRunConfig(member.config, i, ctx.projectRoot);
    const reusable = await findIdenticalRun(ctx.resultsRoot, memberConfig, ctx.projectRoot);
    if (reusable) {
      ctx.log(`Member ${i} (${memberConfig.name}): reusing run ${reusable.id}, which has the same resolved config and seed (its name, notes, tta and the paths of source configs aside)`);
      resolved.push({ run: reusable, source: "reused", tta, configName: memberConfig.name });
      continue;
    }
    if (ctx.signal?.aborted) {
      // The stop (a sitting's end, Ctrl-C) came as the member before this one completed: a training started now
      // would stop before its first epoch, leaving a run folder with nothing to resume.
      throw new RunNotStartedError(
        `Member ${i} (${memberConfig.name}) was not started, and the ensemble not made: the members before it are complete, ` +
          "and the same command goes on with this one",
        null,
      );
    }
    // A member stopped before it completed (a sitting's end, Ctrl-C, a crash) goes on from its checkpoint instead of from its first epoch.
    const stopped = await findResumableIdenticalRun(ctx.resultsRoot, memberConfig, ctx.projectRoot);
    ctx.log(
      stopped
        ? `Member ${i} (${memberConfig.name}): run ${stopped.id} of this config and seed stopped before it completed, with its checkpoint: going on with it`
        : `Member ${i} (${memberConfig.name}): no run with this config and seed yet, training it`,
    );
    const outcome = stopped ? await resumeExperiment(stopped.id, ctx) : await runExperiment(memberConfig, ctx);
    if (outcome.stopReason === "interrupted") {
      throw new RunNotStartedError(
        `Training of member ${i} (${memberConfig.name}) was stopped; its run ${outcome.run.id} is kept with its checkpoint ` +
          `and goes on from there when the ensemble is run again; the ensemble was not made`,
        outcome.run.id,
      );
    }
    resolved.push({ run: outcome.run, source: "trained", tta, configName: memberConfig.name });
  }
  resolved.forEach((member, i) => {
    const first = resolved.findIndex((other) => other.run.id === member.run.id);
    if (first !== i) throw new ConfigError(`Members ${first} and ${i} are both run ${member.run.id}; list each member once`);
  });
  return resolved;
}

/**
 * A member's run config: the inline one, or the file's (relative to the project).
 *
 * @param config The member's `config` field.
 * @param index The member's position, for messages.
 * @param projectRoot The project folder.
 * @returns The resolved run config.
 * @throws {ConfigError} When the file is an ensemble config or does not read as a config.
 * @example
 * ```ts
 * const config = await memberRunConfig("experiments/small_cnn.json", 0, ".");
 * ```
 */
export async function memberRunConfig(config: string | RunConfig, index: number, projectRoot: string): Promise<RunConfig> {
  if (typeof config !== "string") return config;
  const parsed = await readConfigFile(resolve(projectRoot, config));
  if (parsed.kind !== "run") {
    throw new ConfigError(`members.${index}.config ${config} is an ensemble config; members must be single-model run configs`);
  }
  return parsed.config;
}
