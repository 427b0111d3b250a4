/**
 * How long `fer run <ensemble>` would take here: the members that have no
 * completed run yet are trained first, so each of those is estimated (as
 * `fer run <member> --estimate` does, with the source configs it trains
 * first; for one whose run stopped with its checkpoint, the epochs it has
 * left); members named by run id, or with an identical completed run, cost
 * nothing to train, and a member or source trained once for an earlier
 * member is not counted again.
 *
 * Then the ensemble scores every member over its views on validation and
 * test: a member whose scores are in the score cache costs nothing, one with a
 * run is timed here on a sample through the code that scores it
 * (`estimatingScorer`), and one still to train costs nothing more when its own
 * run's final scoring is what the ensemble asks for (its run keeps those scores
 * in the cache: see evaluateRun), else is priced at the inference rate its own
 * estimate measured.
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
  type TrainingTimeEstimate,
  trainedFirstLines,
  trainedFirstSeconds,
} from "../experiment/estimate_training_time.ts";
import { experimentHash, findIdenticalRun, findResumableIdenticalRun } from "../experiment/find_identical_run.ts";
import { resumePoint } from "../experiment/resumable_run.ts";
import type { RunContext } from "../experiment/run_context.ts";
import { formatSeconds } from "../train/progress_bar.ts";
import type { EnsembleConfig, EnsembleDataset } from "./ensemble_config.ts";
import { memberRunConfig } from "./resolve_members.ts";
import { memberPredictions } from "./member_predictions.ts";
import { commonPrecision } from "./run_ensemble.ts";
import { selectBackend } from "../backend/select_backend.ts";
import type { MathPrecision } from "../backend/math_precision.ts";
import { discoverDataset } from "../data/discover_dataset.ts";
import { estimatingScorer, type ScoringEstimate } from "../experiment/model_scorer.ts";
import { resolveDatasetRoot } from "../experiment/resolve_dataset_root.ts";
import { openRun, readRunJson, type RunHandle } from "../experiment/run_store.ts";
import { backendFacts } from "../experiment/score_cache.ts";
import type { TtaConfig } from "../predict/tta_config.ts";
import type { RunConfig } from "../experiment/run_config.ts";
import { ttaViews } from "../predict/tta_views.ts";

/**
 * One member: a run there already; the same experiment as an earlier member
 * or one of its sources, trained for it (`"trained before"`); or a config to train
 * and its estimate (a whole run's, with its sources), with `seconds`: the
 * whole run, or, for a run of it that stopped with its checkpoint
 * (`resumes`), the epochs left and the final scoring (its sources' time
 * apart: {@linkcode trainedFirstSeconds}).
 */
export type MemberEstimate =
  | { index: number; name: string; runId: string; how: "run" | "reused"; scoring: MemberScoring }
  | { index: number; name: string; how: "trained before" }
  | ({ index: number; name: string; how: "to train"; scoring: MemberScoring } & TrainedFirst);

/**
 * What the ensemble's scoring of one member costs: its validation and test images over its views. `cached`:
 * read from the score cache; `by its run`: a member still to train whose run scores these images over these views
 * as it finishes (counted in its training) and keeps them in the cache; `timed`: its model timed here on a sample;
 * `estimated`: a member still to train, at the inference rate its estimate measured.
 */
export interface MemberScoring {
  images: number;
  views: number;
  how: "cached" | "by its run" | "timed" | "estimated";
  seconds: number;
}

/** What {@linkcode estimateEnsemble} returns. */
export interface EnsembleEstimate {
  members: MemberEstimate[];
  /** The members still to train, one after another, with the sources they train first, in seconds. */
  trainingSeconds: number;
  /** The ensemble's scoring of its members (those priced: not a member trained as another's source). */
  scoringSeconds: number;
  /** The CPU's load and cores before the first member was timed. */
  cpu: CpuLoad;
}

/**
 * Estimates the training of each member of an ensemble that has no run yet.
 *
 * @param config The ensemble config.
 * @param paths Project, results and cache folders, and where the log goes.
 * @param options Steps to time per member, and the experiments already counted as trained by whoever asks (a
 *   sweep's earlier trials; see estimateTrainingTime).
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
  options: Pick<EstimateOptions, "steps" | "clock" | "cpu" | "trainedBefore"> = {},
): Promise<EnsembleEstimate> {
  // Read once: timing one member raises the load the next one would read.
  const cpu = await (options.cpu ?? cpuLoadNow)();
  // Their scoring is priced once every member's training is estimated: it needs the precision they all share.
  const unpriced: Unpriced<MemberEstimate>[] = [];
  // Members are trained in order, each after its sources: what one of them trains is there for the later ones
  // (and, given a set, for the later ensembles of a sweep).
  const trainedBefore = options.trainedBefore ?? new Set<string>();
  const precisions: MathPrecision[] = [];
  // The configs of the members to train, for whether their runs' own scoring is the ensemble's.
  const toTrain = new Map<number, RunConfig>();
  for (const [index, member] of config.members.entries()) {
    if ("run" in member) {
      unpriced.push({ index, name: member.run, runId: member.run, how: "run" });
      const run = await openRun(paths.resultsRoot, member.run);
      precisions.push((await readRunJson<{ precision?: MathPrecision }>(run, "config"))?.precision ?? "float32");
      continue;
    }
    const memberConfig = await memberRunConfig(member.config, index, paths.projectRoot);
    const reusable = await findIdenticalRun(paths.resultsRoot, memberConfig, paths.projectRoot);
    precisions.push(memberConfig.precision);
    if (reusable) {
      unpriced.push({ index, name: memberConfig.name, runId: reusable.id, how: "reused" });
      continue;
    }
    const hash = experimentHash(memberConfig);
    if (trainedBefore.has(hash)) {
      unpriced.push({ index, name: memberConfig.name, how: "trained before" });
      continue;
    }
    paths.log?.(`Estimating member ${index} (${memberConfig.name}), which has no completed run yet`);
    const estimate = await estimateTrainingTime(memberConfig, { ...paths, log: () => {} }, { ...options, cpu: () => cpu, sources: true, trainedBefore });
    trainedBefore.add(hash);
    // A run of it that stopped with its checkpoint goes on from there (resolveMembers): only its epochs left count.
    const stopped = await findResumableIdenticalRun(paths.resultsRoot, memberConfig, paths.projectRoot);
    const point = stopped ? await resumePoint(paths.resultsRoot, stopped.id) : null;
    const resumes = stopped && point ? { runId: stopped.id, epochsDone: point.epochsDone } : undefined;
    unpriced.push({ index, name: memberConfig.name, how: "to train", ...trainedFirst(estimate, resumes) });
    toTrain.set(index, memberConfig);
  }
  // The key of a member's cached scores names the backend and precision the ensemble will score it in.
  const precision = commonPrecision(precisions, () => {});
  const backend = await selectBackend(config.backend, { precision });
  const ensembleImages = config.dataset ? await splitImages(config.dataset, paths.projectRoot) : null;
  const members: MemberEstimate[] = [];
  for (const member of unpriced) {
    const spec = config.members[member.index];
    const tta = spec.tta === undefined ? config.tta : spec.tta;
    if (member.how === "trained before") members.push(member);
    else if (member.how === "to train") {
      const scoring = rateScoring(member.estimate, ttaViews(tta).length, ensembleImages);
      const ownScores = paths.cacheDir != null && scoredByItsRun(toTrain.get(member.index)!, { config, tta, precision });
      members.push({ ...member, scoring: ownScores ? { ...scoring, how: "by its run", seconds: 0 } : scoring });
    }
    else {
      const run = await openRun(paths.resultsRoot, member.runId);
      members.push({ ...member, scoring: await runScoring(run, { ...paths, config, tta, scoredWith: backendFacts(backend), clock: options.clock }) });
    }
  }
  const trainingSeconds = members.reduce((sum, m) => sum + (m.how === "to train" ? trainedFirstSeconds(m) : 0), 0);
  const scoringSeconds = members.reduce((sum, m) => sum + (m.how === "trained before" ? 0 : m.scoring.seconds), 0);
  return { members, trainingSeconds, scoringSeconds, cpu };
}

/** A member's estimate before its scoring is priced. */
type Unpriced<T> = T extends unknown ? Omit<T, "scoring"> : never;

/** A member with a run, scored as runEnsemble scores it, by a scorer that times instead (or finds it cached). */
async function runScoring(
  run: RunHandle,
  options: Pick<RunContext, "projectRoot" | "cacheDir"> & { config: EnsembleConfig; tta: TtaConfig | null; scoredWith: Record<string, unknown>; clock?: () => number },
): Promise<MemberScoring> {
  const parts: ScoringEstimate[] = [];
  await memberPredictions(run, {
    projectRoot: options.projectRoot,
    cacheDir: options.cacheDir,
    tta: options.tta,
    on: options.config.dataset,
    scoredWith: options.scoredWith,
    scorer: estimatingScorer((part) => parts.push(part), { clock: options.clock }),
  });
  return {
    images: parts.reduce((sum, part) => sum + part.images, 0),
    views: parts[0]?.views ?? ttaViews(options.tta).length,
    how: parts.every((part) => part.how === "cached") ? "cached" : "timed",
    seconds: parts.reduce((sum, part) => sum + part.seconds, 0),
  };
}

/**
 * Whether a member's run, scoring its own validation and test images as it finishes, fills the score cache entry
 * the ensemble reads: the ensemble scores it on its own data, over the views its config scores with, on the same
 * backend request and precision; and its model is scored on images (a frozen transfer run's head is scored on
 * backbone features, kept nowhere).
 */
function scoredByItsRun(member: RunConfig, ensemble: { config: EnsembleConfig; tta: TtaConfig | null; precision: MathPrecision }): boolean {
  const frozen = member.model.family === "transfer" && member.model.mode === "frozen";
  return !ensemble.config.dataset && !frozen && JSON.stringify(ensemble.tta) === JSON.stringify(member.tta) &&
    member.backend === ensemble.config.backend && member.precision === ensemble.precision;
}

/** A member still to train: its validation and test images (or the ensemble dataset's) over its views, at its estimate's inference rate. */
function rateScoring(estimate: TrainingTimeEstimate, views: number, ensembleImages: number | null): MemberScoring {
  const images = ensembleImages ?? estimate.images.validation + estimate.images.test;
  return { images, views, how: "estimated", seconds: (images * views) / estimate.inferenceImagesPerSecond };
}

/** The validation and test images of the ensemble's own dataset, of its classes. */
async function splitImages(dataset: EnsembleDataset, projectRoot: string): Promise<number> {
  const { root } = await resolveDatasetRoot(dataset.root, { projectRoot, classes: dataset.classes });
  const listing = await discoverDataset(root, { classes: dataset.classes });
  return (listing.splits.validation?.length ?? 0) + (listing.splits.test?.length ?? 0);
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
    } else {
      lines.push(...trainedFirstLines(`Member ${member.index} (${member.name})`, member));
    }
    lines.push(`  ${scoringLine(member.scoring)}`);
  }
  const scored = estimate.members.filter((m) => m.how !== "trained before");
  // A member whose run keeps its scores is read from the cache too, once trained.
  const cached = scored.filter((m) => m.scoring.how === "cached" || m.scoring.how === "by its run").length;
  const unpriced = estimate.members.length - scored.length;
  lines.push(
    `Estimated ensemble time here: ${formatSeconds(estimate.trainingSeconds + estimate.scoringSeconds)}: ` +
      `${formatSeconds(estimate.trainingSeconds)} to train the members that have no run (with the sources they train first), ` +
      `${formatSeconds(estimate.scoringSeconds)} to score the members over their views on validation and test ` +
      `(${cached} of ${scored.length} read from the score cache${unpriced > 0 ? `; ${unpriced} trained as another's source not priced` : ""}), ` +
      "and seconds to fit the combiner",
  );
  const busy = busyCpuLine(estimate.cpu);
  if (busy) lines.push(`  ${busy}`);
  return lines;
}

/** One member's scoring, for a terminal. */
function scoringLine(scoring: MemberScoring): string {
  const what = `${scoring.images} images x ${scoring.views} view(s)`;
  if (scoring.how === "cached") return `scoring ${what}: read from the score cache, nothing to score`;
  if (scoring.how === "by its run") return `scoring ${what}: nothing more (its run scores them as it finishes and keeps them in the score cache)`;
  return `scoring ${what}: about ${formatSeconds(scoring.seconds)} (${scoring.how === "timed" ? "its model timed here on a sample" : "at the inference rate of its estimate"})`;
}
