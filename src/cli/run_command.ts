/**
 * `deno task fer run <config>`: trains and evaluates one experiment.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import process from "node:process";
import { ConfigError } from "../errors.ts";
import { parseRunConfig, type RunConfig } from "../experiment/run_config.ts";
import { type RunOutcome, runExperiment } from "../experiment/run_experiment.ts";
import type { CliCommand, CliIo } from "./cli_command.ts";
import { parseArgs } from "./parse_args.ts";
import { printRunSummary } from "./print_run_summary.ts";
import { workbenchPaths } from "./workbench_paths.ts";

const HELP = `Usage: deno task fer run <config.json> [--backend NAME] [--epochs N] [--seed S] [--no-images]

Trains and evaluates the model a config describes and saves the run in
results/runs/<id>/ (config, manifest, history, metrics, predictions, model, plots).
With "root": "auto" the real dataset is used when it is there
(data/facial_emotion_images or ../shared/data/facial_emotion_images), otherwise
synthetic faces, and the run says so. Ctrl-C stops cleanly: the run keeps the
best weights so far and is marked interrupted; a second Ctrl-C exits at once.

  --backend    auto, wasm, webgpu, tensorflow or cpu (overrides the config and FER_BACKEND)
  --epochs     override training.epochs
  --seed       override the seed
  --no-images  skip PNG/SVG plots (HTML plots are always written)

Example: deno task fer run experiments/small_cnn.json
`;

/** The `run` command. */
export const runCommand: CliCommand = {
  summary: "Train and evaluate an experiment config; save the run",
  help: HELP,
  async run(args, io) {
    const parsed = parseArgs(args, {
      command: "run",
      flags: { backend: "string", epochs: "string", seed: "string", "no-images": "boolean" },
      positionals: [1, 1],
    });
    if (parsed.help) {
      io.out(HELP);
      return 0;
    }
    const path = parsed.positionals[0];
    const config = applyOverrides(await readConfig(path), parsed.flags, io);
    const outcome = await runWithInterrupts(config, io, parsed.flags["no-images"] !== true);
    await printRunSummary(outcome.run, io);
    return 0;
  },
};

/**
 * Reads and validates a config file.
 *
 * @param path JSON file.
 * @returns The resolved config.
 * @throws {ConfigError} When the file is missing, not JSON, or invalid.
 */
export async function readConfig(path: string): Promise<RunConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new ConfigError(`Config file ${path} not found; configs live in experiments/ (e.g. experiments/small_cnn.json)`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseRunConfig(json, path);
}

function applyOverrides(config: RunConfig, flags: Record<string, string | boolean>, io: CliIo): RunConfig {
  const raw: Record<string, unknown> = structuredClone(config);
  const backend = flags.backend ?? io.env?.FER_BACKEND;
  if (typeof backend === "string") raw.backend = backend;
  if (typeof flags.epochs === "string") (raw.training as Record<string, unknown>).epochs = Number(flags.epochs);
  if (typeof flags.seed === "string") raw.seed = Number(flags.seed);
  return parseRunConfig(raw, "the config with command-line overrides");
}

/**
 * Runs an experiment with Ctrl-C wired to a clean stop.
 *
 * @param config The resolved config.
 * @param io Output streams.
 * @param imagePlots Render PNG/SVG plots.
 * @returns The outcome.
 */
export async function runWithInterrupts(config: RunConfig, io: CliIo, imagePlots: boolean): Promise<RunOutcome> {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) {
      io.err("\nSecond interrupt: exiting now\n");
      process.exit(130);
    }
    io.err("\nInterrupt: finishing the current batch, then saving the run (Ctrl-C again to exit at once)\n");
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  try {
    const paths = workbenchPaths(io.env);
    return await runExperiment(config, {
      ...paths,
      log: (line) => io.err(`${line}\n`),
      write: (text) => io.err(text),
      interactive: process.stderr.isTTY === true,
      signal: controller.signal,
      imagePlots,
    });
  } finally {
    process.off("SIGINT", onSignal);
  }
}
