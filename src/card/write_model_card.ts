/**
 * `fer card`: reads a run folder and its reports and writes MODEL_CARD.md and model_card.json.
 *
 * @module
 */
import { readdir, readFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { atomicWrite } from "../core/atomic_write.ts";
import { ConfigError } from "../core/errors.ts";
import { readRunJson, type RunHandle, runPath } from "../experiment/run_store.ts";
import type { DatasetEvaluations } from "../experiment/save_dataset_evaluation.ts";
import type { FairnessReport } from "../fairness/fairness_report.ts";
import type { RobustnessReport } from "../robustness/robustness_report.ts";
import type { Datasheet } from "./datasheet.ts";
import { buildModelCard, type CardFacts, type ModelCard } from "./model_card.ts";
import { modelCardMarkdown } from "./model_card_markdown.ts";

/** Options for {@linkcode writeModelCard}. */
export interface WriteModelCardOptions {
  /** A datasheet.json (from `fer data datasheet`). @default `<resultsRoot>/datasheets/<dataset folder name>/datasheet.json` when it exists */
  datasheetPath?: string;
  /** Results folder, for the default datasheet. */
  resultsRoot: string;
}

/**
 * Builds the run's card from config.json, manifest.json, metrics.json,
 * evaluations.json (`fer eval` on other datasets), the model's weight count,
 * robustness.json, fairness.json and the training data's datasheet (those
 * that exist), and writes both files into the run folder.
 *
 * @param run The run.
 * @param options See {@linkcode WriteModelCardOptions}.
 * @returns The card and the files written.
 * @throws {ConfigError} When the run is an ensemble or a named datasheet cannot be read.
 * @example
 * ```ts
 * const { files } = await writeModelCard(run, { resultsRoot: "results" });
 * ```
 */
export async function writeModelCard(run: RunHandle, options: WriteModelCardOptions): Promise<{ card: ModelCard; files: string[] }> {
  const config = await readRunJson<CardFacts["config"] & { kind?: string }>(run, "config");
  if (!config) throw new ConfigError(`Run ${run.id} has no config.json`);
  if (config.kind === "ensemble") {
    throw new ConfigError(`Run ${run.id} is an ensemble; fer card takes a single-model run: make a card for each member`);
  }
  const manifest = await readRunJson<CardFacts["manifest"]>(run, "manifest");
  const datasheet = await readDatasheet(options, manifest?.dataset.root);
  const facts: CardFacts = {
    runId: run.id,
    runDir: run.dir,
    config,
    manifest,
    metrics: await readRunJson<CardFacts["metrics"]>(run, "metrics"),
    evaluations: (await readRunJson<DatasetEvaluations>(run, "evaluations"))?.evaluations,
    parameters: await countWeights(runPath(run, "model")),
    robustness: await readRunJson<RobustnessReport>(run, "robustness"),
    fairness: await readRunJson<FairnessReport>(run, "fairness"),
    datasheet,
    plots: await listPlots(runPath(run, "plots")),
  };
  const card = buildModelCard(facts);
  await atomicWrite(runPath(run, "modelCard"), modelCardMarkdown(card));
  await atomicWrite(runPath(run, "modelCardJson"), JSON.stringify(card, null, 2) + "\n");
  return { card, files: [runPath(run, "modelCard"), runPath(run, "modelCardJson")] };
}

async function readDatasheet(options: WriteModelCardOptions, datasetRoot: string | undefined): Promise<Datasheet | undefined> {
  const path = options.datasheetPath ??
    (datasetRoot ? join(options.resultsRoot, "datasheets", basename(resolve(datasetRoot)), "datasheet.json") : undefined);
  if (!path) return undefined;
  try {
    return JSON.parse(await readFile(path, "utf8")) as Datasheet;
  } catch (error) {
    if (options.datasheetPath) {
      throw new ConfigError(`Cannot read the datasheet ${path} (${(error as Error).message}); make one with: deno task fer data datasheet <root> --out DIR`);
    }
    return undefined;
  }
}

/** Number of weights in model.json's manifest (products of the shapes); null when there is no model. */
async function countWeights(modelDir: string): Promise<number | null> {
  try {
    const json = JSON.parse(await readFile(join(modelDir, "model.json"), "utf8")) as { weightsManifest: { weights: { shape: number[] }[] }[] };
    return json.weightsManifest.flatMap((g) => g.weights).reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
  } catch {
    return null;
  }
}

async function listPlots(dir: string): Promise<string[]> {
  try {
    const names = (await readdir(dir)).sort();
    const pngs = new Set(names.filter((n) => n.endsWith(".png")).map((n) => n.slice(0, -4)));
    // One file per plot: the PNG when there is one (markdown shows it), else the HTML.
    return names.filter((n) => n.endsWith(".png") || (n.endsWith(".html") && !pngs.has(n.slice(0, -5)))).map((n) => `plots/${n}`);
  } catch {
    return [];
  }
}
