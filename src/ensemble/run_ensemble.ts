/**
 * Runs an ensemble config end to end and leaves a run folder:
 * members (trained or reused) -> their validation and test probabilities ->
 * combiner fitted on validation -> applied to test once -> run folder.
 *
 * @module
 */
import type { MathPrecision } from "../backend/math_precision.ts";
import { selectBackend } from "../backend/select_backend.ts";
import { RunNotStartedError } from "../core/errors.ts";
import type { RunContext } from "../experiment/run_context.ts";
import { createRun, readRunJson, type RunHandle } from "../experiment/run_store.ts";
import { withRun } from "../experiment/with_run.ts";
import { makeRng } from "../core/seed.ts";
import { ttaViews } from "../predict/tta_views.ts";
import { formatSeconds, passProgress } from "../train/progress_bar.ts";
import { checkMembers } from "./check_members.ts";
import { combineMembers } from "./combine_members.ts";
import type { EnsembleConfig } from "./ensemble_config.ts";
import { buildEnsembleManifest, type EnsembleManifest } from "./ensemble_manifest.ts";
import { evaluateEnsemble } from "./evaluate_ensemble.ts";
import { type EnsembleMetrics } from "../experiment/run_metrics.ts";
import { type MemberPredictions, memberPredictions } from "./member_predictions.ts";
import { backendFacts } from "../experiment/score_cache.ts";
import { type ResolvedMember, resolveMembers } from "./resolve_members.ts";
import { writeEnsembleRun } from "./write_ensemble_run.ts";

/** What {@linkcode runEnsemble} returns. */
export interface EnsembleOutcome {
  run: RunHandle;
  manifest: EnsembleManifest;
  metrics: EnsembleMetrics;
}

/**
 * Makes the ensemble a config describes and saves it as a run.
 *
 * Members given as configs are trained first (or an identical earlier run is
 * reused). Each member's validation and test probabilities are recomputed
 * from its saved model with its own dataset options and the TTA setting, in
 * the precision the members were trained in when they agree; the
 * members must share classes, data and images, or the config's `dataset`
 * names the data they are all predicted on. The combiner is fitted on
 * validation only (out-of-fold validation predictions when it learns
 * anything), applied to test once, and scored. The run folder is created
 * once the members check out; a failure after that marks it "failed". The
 * manifest's start time and durations cover the ensemble step, after the
 * members were trained.
 *
 * @param config From parseEnsembleConfig.
 * @param ctx The same context runExperiment takes (members are trained with it).
 * @returns The run, its manifest and its metrics.
 * @throws {ConfigError} For members that cannot be combined, naming them.
 * @throws {RunNotStartedError} When the context's signal (a sitting's end, Ctrl-C) stops a member's training, was
 *   aborted by the time the members are complete, or while they are predicted: nothing is lost, and the same call
 *   goes on.
 * @example
 * ```ts
 * const { metrics } = await runEnsemble(parseEnsembleConfig(json), ctx);
 * console.log(metrics.validation.accuracy, metrics.ensemble.members.map((m) => m.validation.accuracyInterval.value));
 * ```
 */
export async function runEnsemble(config: EnsembleConfig, ctx: RunContext): Promise<EnsembleOutcome> {
  const resolved = await resolveMembers(config, ctx);
  if (ctx.signal?.aborted) {
    // A sitting's end (or Ctrl-C) came as the last member completed: predicting the members over their views
    // is minutes of work past the sitting, and the next run of the same config makes the ensemble at once.
    throw new RunNotStartedError(`${config.name} was not made: its members are complete, and the same command makes it (training nothing)`, null);
  }
  // The ensemble starts once its members exist (they are runs of their own, with their own
  // durations), so its id sorts after theirs in `fer list`.
  const started = new Date();
  const backend = await selectBackend(config.backend, { log: ctx.log, precision: await membersPrecision(resolved, ctx.log) });
  const evalStarted = performance.now();
  const members: MemberPredictions[] = [];
  for (const [i, member] of resolved.entries()) {
    // Numbered from 0, as resolveMembers's lines name them.
    const label = `Member ${i}`;
    const memberStarted = performance.now();
    const scored: string[] = [];
    const predictions = await memberPredictions(member.run, {
      projectRoot: ctx.projectRoot,
      cacheDir: ctx.cacheDir,
      tta: member.tta,
      on: config.dataset,
      log: ctx.log,
      signal: ctx.signal,
      // A member scored once over its views (minutes for a VGG-style net over 12) is read back when the combiner,
      // its fitting or the other members change.
      scoredWith: backendFacts(backend),
      progress: (split) => {
        scored.push(split);
        return passProgress(`${label} ${split}`, ctx);
      },
    }).catch((error) => {
      // A stop (Ctrl-C, a sitting's end) while the members are predicted: nothing is written yet, and nothing is lost.
      if (!ctx.signal?.aborted) throw error;
      throw new RunNotStartedError(
        `${config.name} was not made: stopped while predicting its members (${i} of ${resolved.length} done); ` +
          "nothing was saved, and the same command makes it (training nothing)",
        null,
      );
    });
    const images = predictions.validation.paths.length + (predictions.test?.paths.length ?? 0);
    ctx.log(
      `${label} (${member.configName ?? predictions.name}): ${images} images over ${ttaViews(member.tta).length} view(s), ` +
        (scored.length === 0
          ? "scores read from the cache"
          : `${scored.join(" and ")} scored in ${formatSeconds((performance.now() - memberStarted) / 1000)}`),
    );
    if (predictions.trainedOn !== undefined) {
      ctx.log(`Member ${member.run.id}, trained on ${predictions.trainedOn}, predicted on ${predictions.datasetRoot} (${predictions.classes.join(", ")})`);
    }
    if (predictions.maxDeviation !== null && predictions.maxDeviation > 1e-4) {
      ctx.log(
        `Warning: member ${member.run.id}'s recomputed probabilities differ from its predictions.csv by up to ` +
          `${predictions.maxDeviation.toExponential(2)} (another backend or precision, or changed preprocessing code)`,
      );
    }
    // Shown by the name its config has now; the manifest keeps the run's own name when it differs.
    const renamed = member.configName !== null && member.configName !== predictions.name;
    members.push(renamed ? { ...predictions, name: member.configName!, runName: predictions.name } : predictions);
  }
  checkMembers(members);
  const rng = makeRng(config.seed);
  const combined = combineMembers(members, { combiner: config.combiner, fitting: config.fitting, rng: rng.fork() });
  const metrics = evaluateEnsemble(members, {
    fit: combined.fit,
    test: combined.test,
    combiner: config.combiner,
    rng: rng.fork(),
    synthetic: members.some((m) => m.synthetic),
  });
  const run = await createRun(ctx.resultsRoot, config, { name: config.name, now: started });
  const initial = buildEnsembleManifest({ run, config, backend, resolved, members, projectRoot: ctx.projectRoot, startedAt: started });
  const { manifest } = await withRun(run, initial, {
    startedAt: started,
    log: ctx.log,
    work: async () => {
      await writeEnsembleRun(run, { members, combined, metrics, images: ctx.imagePlots ?? true, log: ctx.log });
      // An ensemble trains nothing: its time is predicting the members and combining them.
      return { result: undefined, status: "completed", trainSeconds: null, evalSeconds: (performance.now() - evalStarted) / 1000 };
    },
  });
  const best = Math.max(...metrics.ensemble.members.map((m) => m.validation.accuracyInterval.value));
  ctx.log(
    `Ensemble ${config.combiner} of ${members.length} member(s): validation accuracy ${metrics.validation.accuracy.toFixed(3)} ` +
      `(${metrics.ensemble.validationMode.replace(/_/g, "-")}; best member ${best.toFixed(3)})` +
      (metrics.test ? `, test ${metrics.test.accuracy.toFixed(3)}` : ""),
  );
  ctx.log(`Run ${run.id} in ${run.dir}`);
  return { run, manifest, metrics };
}

/**
 * The precision the members are predicted in: the one they were trained in
 * when they agree (so bf16 members trained in this process can still be
 * predicted: oneDNN keeps a process's first mode), else float32, said in the log.
 */
async function membersPrecision(resolved: ResolvedMember[], log: (line: string) => void): Promise<MathPrecision> {
  const precisions = await Promise.all(
    resolved.map(async (member) => (await readRunJson<{ precision?: MathPrecision }>(member.run, "config"))?.precision ?? "float32"),
  );
  return commonPrecision(precisions, log);
}

/**
 * The precision an ensemble predicts its members in: theirs when they agree, else float32 (said in the log).
 *
 * @param precisions Each member's config `precision`.
 * @param log Where a disagreement is said.
 * @returns The precision.
 * @example
 * ```ts
 * commonPrecision(["bf16", "float32"], console.log); // "float32", and a line saying why
 * ```
 */
export function commonPrecision(precisions: readonly MathPrecision[], log: (line: string) => void): MathPrecision {
  const distinct = [...new Set(precisions)];
  if (distinct.length === 1) return distinct[0];
  log(`Members were trained in different precisions (${precisions.join(", ")}): predicting all of them in float32`);
  return "float32";
}
