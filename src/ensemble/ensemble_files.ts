/**
 * The files an ensemble run adds to the run folder contract: the combiner in
 * model/ensemble.json and each member's cached probabilities in members/.
 *
 * @module
 */
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { atomicWrite } from "../core/atomic_write.ts";
import { checkRunId, type RunHandle, runPath } from "../experiment/run_store.ts";
import type { CombinerModel } from "./apply_combiner.ts";
import type { MemberPredictions } from "./member_predictions.ts";
import type { TtaConfig } from "../predict/tta_config.ts";

/** Names inside an ensemble run folder, beside those of `RUN_FILES`. */
export const ENSEMBLE_FILES = {
  /** The fitted combiner, inside the run's model/ folder. */
  combiner: "ensemble.json",
  /** One `<member run id>.json` of cached probabilities per member. */
  members: "members",
} as const;

/** model/ensemble.json: what is needed to apply the ensemble again. */
export interface EnsembleModelFile {
  format: "fer-ensemble/1";
  classes: string[];
  /** Members in the order the combiner expects them. */
  members: { runId: string; name: string; configHash: string; tta: TtaConfig | null }[];
  combiner: CombinerModel;
  /** How the reported validation predictions were made (see fitCombiner). */
  validationMode: "out_of_fold" | "direct";
  /** Fold per validation image, for the out-of-fold predictions; null when nothing was fitted. */
  folds: number[] | null;
}

/**
 * Writes model/ensemble.json atomically.
 *
 * @param run The ensemble run.
 * @param model The combiner and its members.
 * @returns Resolves when written.
 * @example
 * ```ts
 * await writeEnsembleModel(run, { format: "fer-ensemble/1", classes, members, combiner: { kind: "soft_vote" }, validationMode: "direct", folds: null });
 * ```
 */
export async function writeEnsembleModel(run: RunHandle, model: EnsembleModelFile): Promise<void> {
  await atomicWrite(join(runPath(run, "model"), ENSEMBLE_FILES.combiner), JSON.stringify(model, null, 2) + "\n");
}

/**
 * Reads model/ensemble.json; undefined for a run that is not an ensemble.
 *
 * @param run Any run.
 * @returns The file's content, or undefined.
 * @example
 * ```ts
 * const model = await readEnsembleModel(run);
 * console.assert(model === undefined || model.format === "fer-ensemble/1");
 * ```
 */
export async function readEnsembleModel(run: RunHandle): Promise<EnsembleModelFile | undefined> {
  try {
    return JSON.parse(await readFile(join(runPath(run, "model"), ENSEMBLE_FILES.combiner), "utf8")) as EnsembleModelFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/**
 * Writes a member's predictions to `members/<member run id>.json`, atomically.
 *
 * @param run The ensemble run.
 * @param member The member's predictions.
 * @returns The file's path.
 * @example
 * ```ts
 * await writeMemberCache(run, await memberPredictions(memberRun, options));
 * ```
 */
export async function writeMemberCache(run: RunHandle, member: MemberPredictions): Promise<string> {
  const dir = join(run.dir, ENSEMBLE_FILES.members);
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${checkRunId(member.runId)}.json`);
  await atomicWrite(path, JSON.stringify(member) + "\n");
  return path;
}

/**
 * Reads the cached predictions of the ensemble's members, in member order.
 *
 * @param run The ensemble run.
 * @param memberIds Member run ids (from model/ensemble.json).
 * @returns One entry per member.
 * @throws Error naming the file when a member's cache is missing.
 * @example
 * ```ts
 * const members = await readMemberCaches(run, (await readEnsembleModel(run))!.members.map((m) => m.runId));
 * ```
 */
export async function readMemberCaches(run: RunHandle, memberIds: readonly string[]): Promise<MemberPredictions[]> {
  return await Promise.all(memberIds.map(async (id) => {
    const path = join(run.dir, ENSEMBLE_FILES.members, `${checkRunId(id)}.json`);
    try {
      return JSON.parse(await readFile(path, "utf8")) as MemberPredictions;
    } catch (error) {
      throw new Error(`Cannot read the cached predictions of member ${id} at ${path} (${(error as Error).message}); rerun the ensemble`);
    }
  }));
}
