/**
 * `deno task fer run <config>`: trains and evaluates one experiment, or makes
 * an ensemble when the config says `"kind": "ensemble"`.
 *
 * @module
 */
import type { EnsembleConfig } from "../ensemble/ensemble_config.ts";
import { type ExperimentConfig, parseExperimentConfig } from "../ensemble/read_config_file.ts";
import { readJsonFile } from "../core/read_json_file.ts";
import { applyConfigOverrides, type ConfigOverrides } from "../experiment/config_overrides.ts";
import { runEnsemble } from "../ensemble/run_ensemble.ts";
import { ConfigError, RunNotStartedError } from "../core/errors.ts";
import type { RunConfig } from "../experiment/run_config.ts";
import type { RunContext } from "../experiment/run_context.ts";
import { type RunOutcome, runExperiment } from "../experiment/run_experiment.ts";
import { estimateLines, estimateTrainingTime, trainedFirstTrainings, type TrainingLeft, trainingsInOrder } from "../experiment/estimate_training_time.ts";
import { ensembleEstimateLines, estimateEnsemble } from "../ensemble/estimate_ensemble.ts";
import {
  findLearningRates,
  type FindLearningRateOptions,
  learningRateComparisonLines,
  learningRateLines,
  saveLearningRateFindings,
} from "../experiment/find_learning_rate.ts";
import type { RunHandle } from "../experiment/run_store.ts";
import { type CliCommand, type CliIo, progressOutput } from "./cli_command.ts";
import { parseArgs } from "./parse_args.ts";
import { printRunSummary } from "./print_run_summary.ts";
import { SIGNAL_EXIT_CODES, type StopSignal, untilStopped } from "./stop_signals.ts";
import { workbenchPaths } from "./workbench_paths.ts";
import { makeOutputFolder } from "./output_folder.ts";
import { stoppedIdenticalRunNote } from "../experiment/find_identical_run.ts";
import { type SittingLimit, sittingsFor, sittingStop } from "../train/sitting_limit.ts";
import { formatSeconds } from "../train/progress_bar.ts";
import { printSittingOver, SITTING_FLAGS, SITTING_HELP, SITTING_NAMES, sittingFromFlags, sittingOverBeforeStart } from "./sitting_flags.ts";

const HELP = `Usage: deno task fer run <config.json> [--backend NAME] [--precision P] [--epochs N] [--seed S]
                           [--init-from RUN|CONFIG] [--stop-after-epoch N] [--time-budget T]
                           [--until TIME] [--no-images] [--estimate [--steps N]]
                           [--lr-find [--steps N] [--min-lr R] [--max-lr R] [--l2 LIST]
                                      [--out DIR]]

Trains and evaluates the model a config describes and saves the run in
results/runs/<id>/ (config, manifest, history, metrics, predictions, model, plots).
With "root": "auto" the real dataset is used when it is there
(data/facial_emotion_images or ../shared/data/facial_emotion_images), otherwise
synthetic faces, and the run says so; "auto:fer2013" looks for data/fer2013, then
../shared/data/fer2013. Ctrl-C (or SIGTERM) stops cleanly: the
run keeps the best weights so far, is evaluated on validation only (test is
read once, when the run completes) and marked interrupted, and the command
exits with status 130 (143 for SIGTERM); fer resume goes on with it. A second
Ctrl-C exits at once and leaves the run for fer list to report as stale. A reader of the output that
goes away (| tee, | head) never stops the run.

An ensemble config ("kind": "ensemble", e.g. experiments/ensemble_soft_vote.json)
combines member runs: members given as configs are trained first (or an earlier
run with the same config and seed is reused); the combiner (soft_vote,
weighted_soft_vote, majority_vote, stacking or log_linear_pool) is fitted on
validation only and applied to test once; optional test-time augmentation
("tta") runs per member.
With --time-budget or --until its members are trained in sittings: the same
fer run goes on with the member a sitting stopped in, starts no member in a
sitting that is over, and makes the ensemble once all are complete. Ctrl-C
while the members are predicted stops the ensemble and saves nothing; the same
fer run makes it (training nothing).

  --backend    auto, wasm, webgpu, tensorflow or cpu (overrides the config and FER_BACKEND)
  --precision  float32 or bf16 (run configs only; bf16 needs the tensorflow
               backend on a CPU whose oneDNN rounds to bf16 (AMX), else float32
               runs and says so)
  --epochs     override training.epochs (run configs only)
  --seed       override the seed
  --init-from  start from a trained run's weights (training.initFrom): a run id,
               or a run config's path, whose run is reused or trained first
               (run configs only; same model and input as the config)
${SITTING_HELP}
  --no-images  skip PNG/SVG plots (HTML plots are always written)
  --estimate   train nothing and save nothing: time a few training steps and
               validation batches of the config on this machine (its backend,
               precision, model, augmentation, batch size) and print how long
               the run would take (epochs, validation each epoch, the final
               scoring over its test-time views, a distillation's teachers'
               pass unless its scores are cached), and a source config it trains
               first (initFrom, a teacher); for an ensemble, each member
               with no completed run yet, which it trains first, with its
               sources, and the scoring of every member over its views
               (nothing for one in the score cache, a member with a run
               timed on a sample); transfer
               configs are refused (time one epoch with --epochs 1). With
               --time-budget T it also says how many sittings of T it takes
  --lr-find    train nothing and save nothing: the learning-rate range test. A
               fresh net of the config takes steps on its training images at
               rates rising exponentially from --min-lr (1e-7) to --max-lr (1),
               stopping once the loss passes four times its lowest; prints the
               smoothed loss by rate and suggests a peak rate for the schedule
               (training.optimizer.learningRate): the rate of the lowest loss
               over ten, the valley (halfway along the longest fall of the
               loss) and where the loss fell fastest (run configs of a
               from-scratch family). With --out DIR it also writes the curve
               there: lr_find.csv (one row a step) and lr_find.html (the figure).
               The loss read is the data's, the L2 penalty left out
  --l2 LIST    with --lr-find: one range test per L2 coefficient
               (training.l2), comma-separated, e.g. 0,1e-4,1e-3: the same
               initial weights and batches, their curves side by side, the
               lowest named (Smith's reading of weight decay: the coefficient
               whose curve falls lowest, or stays low to larger rates)
  --steps      training steps --estimate times after 3 warm-up steps (default
               30), or the range test's steps (default 100)

Examples: deno task fer run experiments/small_cnn.json
          deno task fer run experiments/best_4class.json --time-budget 1h30m
          deno task fer run experiments/best_4class.json --until 07:30
          deno task fer run experiments/best_4class_ensemble.json --time-budget 8h
          deno task fer run experiments/best_fer2013.json --estimate
          deno task fer run experiments/best_fer2013.json --lr-find --out results/lr_find
          deno task fer run experiments/best_fer2013.json --lr-find --l2 0,1e-4,1e-3 --steps 200
          deno task fer run experiments/scratch_4class_small.json --init-from <pretraining run id>
`;

/** The `run` command. */
export const runCommand: CliCommand = {
  summary: "Train and evaluate an experiment config, or make an ensemble; save the run",
  help: HELP,
  async run(args, io) {
    const parsed = parseArgs(args, {
      command: "run",
      flags: {
        backend: "string",
        precision: "string",
        epochs: "string",
        seed: "string",
        "init-from": "string",
        ...SITTING_FLAGS,
        "no-images": "boolean",
        estimate: "boolean",
        "lr-find": "boolean",
        "min-lr": "string",
        "max-lr": "string",
        l2: "string",
        out: "string",
        steps: "string",
      },
      positionals: [1, 1],
    });
    if (parsed.help) {
      io.out(HELP);
      return 0;
    }
    const steps = estimateSteps(parsed.flags);
    const config = await readWithOverrides(parsed.positionals[0], parsed.flags, io);
    const sitting = sittingFromFlags(parsed.flags);
    const rateRange = lrRangeFlags(parsed.flags);
    if (parsed.flags["lr-find"] === true && parsed.flags.estimate === true) {
      throw new ConfigError("--lr-find and --estimate are two different dry runs (a range of rates; the time a run takes): give one");
    }
    const out = parsed.flags.out;
    if (typeof out === "string" && parsed.flags["lr-find"] !== true) {
      throw new ConfigError("Option --out goes with --lr-find (the folder for its curve); a run's files go to results/runs/<id>/");
    }
    if (parsed.flags["lr-find"] === true) {
      return await printLearningRateFinding(config, { steps, ...rateRange }, { withSitting: sitting !== null, out: typeof out === "string" ? out : null }, io);
    }
    if (parsed.flags.estimate === true) {
      if (sitting && (sitting.afterEpoch !== undefined || sitting.endsAt !== undefined)) {
        throw new ConfigError("--stop-after-epoch and --until stop a training; --estimate trains nothing: leave them out (with --time-budget it plans sittings of that length)");
      }
      return await printEstimate(config, steps, sitting?.seconds, io);
    }
    if (sitting) refuseEpochLimitOfEnsemble(config, sitting);
    const overBeforeStart = sittingOverBeforeStart(sitting);
    if (overBeforeStart) {
      // A sweep's job that waited in a cluster's queue past the sweep's deadline ends here, as a user's past --until does.
      io.err(`Sitting over before it began: ${overBeforeStart}, and no run was made\n`);
      return 0;
    }
    if (config.kind === "run") {
      const { resultsRoot, projectRoot } = workbenchPaths(io.env);
      const note = await stoppedIdenticalRunNote(resultsRoot, config.config, projectRoot, (id) => `deno task fer resume ${id}`);
      if (note) io.err(`${note}\n`);
    }
    let run: Awaited<ReturnType<typeof runAnyWithInterrupts>>;
    try {
      run = await runAnyWithInterrupts(config, io, parsed.flags["no-images"] !== true, sitting);
    } catch (error) {
      const code = runNotStartedExit(error, io);
      if (code === null) throw error;
      return code;
    }
    await printRunSummary(run, io);
    if (run.sittingOver) printSittingOver(run.id, run.sittingOver, io);
    return run.interruptedBy ? SIGNAL_EXIT_CODES[run.interruptedBy] : 0;
  },
};

/**
 * Reads a config of either kind with the command line's overrides in its
 * JSON, so it is validated once (naming the file and the overrides in messages).
 * `fer resume <config>` reads it the same way, to find the run `fer run` made of it.
 *
 * @param path The config file.
 * @param flags Parsed flags: backend, precision, epochs, seed, init-from (FER_BACKEND for the backend when not given).
 * @param io The command's streams and environment.
 * @returns The config with the overrides.
 * @throws {ConfigError} For an override that does not apply to the config's kind, or an invalid result.
 * @example
 * ```ts
 * const config = await readWithOverrides("experiments/best_4class.json", { seed: "7" }, io);
 * ```
 */
export async function readWithOverrides(path: string, flags: Record<string, string | boolean>, io: CliIo): Promise<ExperimentConfig> {
  const json = await readJsonFile(path);
  const overrides: ConfigOverrides = {};
  const backend = flags.backend ?? io.env?.FER_BACKEND;
  if (typeof backend === "string") overrides.backend = backend;
  const isEnsemble = (json as { kind?: unknown } | null)?.kind === "ensemble";
  if (typeof flags.precision === "string") {
    if (isEnsemble) throw new ConfigError("Option --precision does not apply to an ensemble config; set precision in its member configs");
    overrides.precision = flags.precision;
  }
  if (typeof flags.epochs === "string") {
    if (isEnsemble) {
      throw new ConfigError("Option --epochs does not apply to an ensemble config; set training.epochs in its member configs");
    }
    overrides.epochs = Number(flags.epochs);
  }
  if (typeof flags.seed === "string") overrides.seed = Number(flags.seed);
  if (typeof flags["init-from"] === "string") {
    if (isEnsemble) throw new ConfigError("Option --init-from does not apply to an ensemble config; set training.initFrom in its member configs");
    overrides.initFrom = flags["init-from"];
  }
  if (Object.keys(overrides).length === 0) return parseExperimentConfig(json, path);
  return parseExperimentConfig(applyConfigOverrides(json, overrides), `${path} with command-line overrides`);
}

/**
 * `--stop-after-epoch` counts the epochs of one run (a resumed run's earlier ones too); an ensemble trains its
 * members one after another, so the count would mean a different thing for each. A time limit means one thing.
 */
export function refuseEpochLimitOfEnsemble(config: ExperimentConfig, sitting: SittingLimit): void {
  if (config.kind === "ensemble" && sitting.afterEpoch !== undefined) {
    throw new ConfigError(
      "--stop-after-epoch counts the epochs of one run, and an ensemble trains its members one after another: " +
        "give it --time-budget or --until, or run a member config with --stop-after-epoch",
    );
  }
}

/**
 * Runs an experiment with Ctrl-C wired to a clean stop.
 *
 * @param config The resolved config.
 * @param io Output streams.
 * @param imagePlots Render PNG/SVG plots.
 * @returns The outcome.
 * @example
 * ```ts
 * const outcome = await runWithInterrupts(await readRunConfig("experiments/small_cnn.json"), io, false);
 * ```
 */
export async function runWithInterrupts(config: RunConfig, io: CliIo, imagePlots: boolean): Promise<RunOutcome> {
  return (await withInterrupts(io, imagePlots, (ctx) => runExperiment(config, ctx))).result;
}

/**
 * Runs a config of either kind (a run config, or an ensemble config) with
 * Ctrl-C wired to a clean stop.
 *
 * @param config From `readConfigFile` or `parseExperimentConfig`.
 * @param io Output streams.
 * @param imagePlots Render PNG/SVG plots.
 * @returns The new run.
 * @example
 * ```ts
 * const run = await runAnyWithInterrupts(await readConfigFile("experiments/ensemble_soft_vote.json"), io, false);
 * ```
 */
export async function runAnyWithInterrupts(
  config: ExperimentConfig,
  io: CliIo,
  imagePlots: boolean,
  sitting: SittingLimit | null = null,
): Promise<RunHandle & { interruptedBy: StopSignal | null; sittingOver: string | null }> {
  if (config.kind === "run") {
    const { result, ...stopped } = await withInterrupts(io, imagePlots, (ctx) => runExperiment(config.config, ctx), sitting);
    return { ...result.run, ...stopped };
  }
  const ensemble: EnsembleConfig = config.config;
  const { result, ...stopped } = await withInterrupts(io, imagePlots, (ctx) => runEnsemble(ensemble, ctx), sitting);
  return { ...result.run, ...stopped };
}

/**
 * When a run was not started because this command's own sitting limit or
 * interrupt stopped a run it needs first (a source, an ensemble's member), or
 * came just as that one finished, says so and gives
 * the exit status of such a stop (0 for a sitting's end, as when it ends this
 * run's training; 130/143 for a signal); null for any other error.
 *
 * @param error What the run threw.
 * @param io Output streams.
 * @returns The exit status, or null.
 */
export function runNotStartedExit(error: unknown, io: CliIo): number | null {
  if (!(error instanceof RunNotStartedError) || error.stoppedBy === null) return null;
  const { sittingOver, signal } = error.stoppedBy;
  if (sittingOver !== null) {
    const where = error.neededRun === null ? "" : `, in the training of run ${error.neededRun}, which this one needs first`;
    io.err(`Sitting over: ${sittingOver}${where}. ${error.message}\n`);
    return 0;
  }
  if (signal === null) return null;
  io.err(`${error.message}\n`);
  return SIGNAL_EXIT_CODES[signal];
}

/**
 * Runs a task with the CLI's run context and its interrupt handling: the
 * first Ctrl-C or SIGTERM aborts the context's signal (the run stops after
 * its batch and is saved), a second one exits at once. A sitting limit
 * stops training the same way at the end of an epoch.
 *
 * @param io The CLI's output and environment.
 * @param imagePlots Whether the run renders PNG/SVG plots.
 * @param task The run, given its context.
 * @param sitting Where this sitting ends (--stop-after-epoch, --time-budget); null to train to the end.
 * @returns The task's result, the signal that stopped it, if any, and why the sitting's limit stopped it, if it did.
 */
export async function withInterrupts<T>(
  io: CliIo,
  imagePlots: boolean,
  task: (ctx: RunContext) => Promise<T>,
  sitting: SittingLimit | null = null,
): Promise<{ result: T; interruptedBy: StopSignal | null; sittingOver: string | null }> {
  const messages = {
    first: "stopping after the current batch; what is trained so far is saved",
    second: "the run folder stays as it is (fer list reports it stale)",
  };
  const { result, stoppedBy } = await untilStopped(io, messages, async (signal, stoppedBy) => {
    const stop = sitting === null ? null : sittingStop(sitting, { signal, names: SITTING_NAMES });
    try {
      const result = await task({
        ...workbenchPaths(io.env),
        ...progressOutput(io),
        signal: stop?.signal ?? signal,
        imagePlots,
        callbacks: stop ? [stop.callback] : [],
      });
      return { result, sittingOver: stop?.reason() ?? null };
    } catch (error) {
      // A run needed first stopped: by this command's own stop (its sitting's end, an interrupt), or not.
      if (error instanceof RunNotStartedError) error.stoppedBy = { sittingOver: stop?.reason() ?? null, signal: stoppedBy() };
      throw error;
    }
  });
  return { result: result.result, interruptedBy: stoppedBy, sittingOver: result.sittingOver };
}

/**
 * `--estimate`: times the config's steps here and prints how long its run would take (for an ensemble, the
 * members still to train and the scoring of every member); saves nothing.
 */
async function printEstimate(config: ExperimentConfig, steps: number | undefined, sittingSeconds: number | undefined, io: CliIo): Promise<number> {
  const ctx = { ...workbenchPaths(io.env), ...progressOutput(io) };
  const options = { steps };
  let lines: string[];
  let runs: TrainingLeft[];
  if (config.kind === "ensemble") {
    const estimate = await estimateEnsemble(config.config, ctx, options);
    lines = ensembleEstimateLines(estimate);
    runs = estimate.members.flatMap((member) => member.how === "to train" ? trainedFirstTrainings(member) : []);
  } else {
    const estimate = await estimateTrainingTime(config.config, ctx, { ...options, sources: true });
    lines = estimateLines(estimate);
    runs = trainingsInOrder(estimate);
  }
  const goesOnWith = config.kind === "ensemble" ? "run" : runs.length > 1 ? "sources, then resume" : "resume";
  if (sittingSeconds !== undefined) lines.push(sittingsLine(sittingsFor(runs, sittingSeconds), sittingSeconds, goesOnWith));
  io.out(lines.join("\n") + "\n");
  return 0;
}

/**
 * `--min-lr`, `--max-lr` and `--l2`, which go with `--lr-find`.
 *
 * @param flags Parsed flags.
 * @returns The rates and coefficients given, as numbers.
 * @throws {ConfigError} For any of them without --lr-find, a rate that is not a positive number, or a coefficient below 0.
 * @example
 * ```ts
 * lrRangeFlags({ "lr-find": true, "max-lr": "0.1" }); // { maxLr: 0.1 }
 * ```
 */
export function lrRangeFlags(flags: Record<string, string | boolean>): { minLr?: number; maxLr?: number; l2?: number[] } {
  const range: { minLr?: number; maxLr?: number; l2?: number[] } = {};
  if (typeof flags.l2 === "string") {
    if (flags["lr-find"] !== true) throw new ConfigError("Option --l2 goes with --lr-find (a range test per coefficient); a run's own L2 is training.l2 in its config");
    const values = flags.l2.split(",").map((part) => part.trim());
    const numbers = values.map(Number);
    if (values.some((value, i) => value === "" || !(Number.isFinite(numbers[i]) && numbers[i] >= 0))) {
      throw new ConfigError(`Option --l2 is "${flags.l2}"; pass L2 coefficients of 0 or more, comma-separated, e.g. 0,1e-4,1e-3`);
    }
    range.l2 = numbers;
  }
  for (const [flag, key] of [["min-lr", "minLr"], ["max-lr", "maxLr"]] as const) {
    const value = flags[flag];
    if (typeof value !== "string") continue;
    if (flags["lr-find"] !== true) throw new ConfigError(`Option --${flag} goes with --lr-find (the range of its rates)`);
    const rate = Number(value);
    if (!(value.trim() !== "" && Number.isFinite(rate) && rate > 0)) throw new ConfigError(`Option --${flag} is "${value}"; pass a positive rate, e.g. 1e-5`);
    range[key] = rate;
  }
  return range;
}

/** `--lr-find`: the range test of a run config, printed, and saved in `out` when given. */
async function printLearningRateFinding(
  config: ExperimentConfig,
  options: FindLearningRateOptions & { l2?: number[] },
  { withSitting, out }: { withSitting: boolean; out: string | null },
  io: CliIo,
): Promise<number> {
  if (config.kind === "ensemble") throw new ConfigError("--lr-find takes steps of one net: give it a member's run config, not an ensemble config");
  if (withSitting) throw new ConfigError("--lr-find trains nothing to keep: leave out --time-budget, --until and --stop-after-epoch");
  // Made before the test: a path that cannot be a folder is refused before minutes of steps, not after.
  if (out !== null) await makeOutputFolder(out, "--out");
  const l2 = options.l2 ?? [config.config.training.l2];
  const findings = await findLearningRates(config.config, { ...workbenchPaths(io.env), ...progressOutput(io) }, { ...options, l2 });
  // Given --l2, the tests side by side, even of one coefficient: the user asked what that coefficient does.
  io.out((options.l2 === undefined ? learningRateLines(findings[0]) : learningRateComparisonLines(findings)).join("\n") + "\n");
  if (out !== null) {
    const { csv, html } = await saveLearningRateFindings(findings, out);
    io.out(`Curve written: ${csv}, ${html}\n`);
  }
  return 0;
}

/**
 * `--estimate --time-budget`: how many sittings of that length the training takes, and how to run them: the same
 * `fer run` goes on with an ensemble's member or a source a sitting stopped in; a run's own training goes on with
 * `fer resume`.
 */
function sittingsLine(sittings: number, seconds: number, goesOnWith: "run" | "sources, then resume" | "resume"): string {
  const budget = formatSeconds(seconds);
  if (sittings === 0) return `In sittings of ${budget}: nothing to train`;
  const how = sittings === 1
    ? "it fits in one"
    : goesOnWith === "run"
    ? `each ends at an epoch's end, and the same fer run --time-budget ${budget} goes on`
    : goesOnWith === "sources, then resume"
    ? `each ends at an epoch's end; the same fer run --time-budget ${budget} goes on while a source trains, ` +
      `then fer resume <run-id> --time-budget ${budget} with the run`
    : `fer run --time-budget ${budget}, then fer resume <run-id> --time-budget ${budget}`;
  return `In sittings of ${budget}: about ${sittings} sitting(s) (${how}; loading the data in each not counted)`;
}

/**
 * The `--steps` of `--estimate` (fer run, fer sweep), checked: undefined for the default.
 *
 * @param flags Parsed flags.
 * @returns The steps to time, or undefined when not given.
 * @throws {ConfigError} For --steps without --estimate, or a value that is not a whole number of at least 1.
 * @example
 * ```ts
 * console.assert(estimateSteps({ estimate: true, steps: "10" }) === 10);
 * ```
 */
export function estimateSteps(flags: Record<string, string | boolean>): number | undefined {
  const value = flags.steps;
  if (typeof value !== "string") return undefined;
  if (flags.estimate !== true && flags["lr-find"] !== true) {
    throw new ConfigError("Option --steps goes with --estimate (the training steps it times) or --lr-find (the range test's steps)");
  }
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new ConfigError(`Option --steps is "${value}"; pass a whole number of training steps >= 1, e.g. 30`);
  }
  return Number(value);
}

