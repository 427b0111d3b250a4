/**
 * Reads a run's predictions.csv back into rows.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { ConfigError } from "../core/errors.ts";
import { type RunHandle, runPath } from "./run_store.ts";
import { parseCsvLine } from "../core/parse_csv_line.ts";

/** One row of predictions.csv. */
export interface PredictionRecord {
  /** Image path relative to the dataset root (`test/sad/1.jpg`). */
  path: string;
  split: string;
  trueClass: string;
  predictedClass: string;
  /** Probability per class name. */
  probabilities: Record<string, number>;
}

/**
 * Parses predictions.csv (path, split, true, predicted, `p_<class>`...), as
 * written by the run store; quoted fields (RFC 4180) are unquoted.
 *
 * @param run The run (from `openRun` or `runExperiment`).
 * @returns One record per evaluated image, in file order.
 * @throws {ConfigError} When the run has no predictions.csv or its header is not the run store's.
 * @example
 * ```ts
 * const rows = await readPredictions(await openRun("results", id));
 * const wrong = rows.filter((r) => r.trueClass !== r.predictedClass);
 * ```
 */
export async function readPredictions(run: RunHandle): Promise<PredictionRecord[]> {
  const path = runPath(run, "predictions");
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new ConfigError(
      `Run ${run.id} has no predictions.csv (${path}); it is written when evaluation finishes: check the run's status with deno task fer show ${run.id}`,
    );
  }
  const [header, ...lines] = text.split("\n").filter((line) => line.length > 0).map(parseCsvLine);
  const expected = ["path", "split", "true", "predicted"];
  if (!header || expected.some((name, i) => header[i] !== name) || header.slice(4).some((name) => !name.startsWith("p_"))) {
    throw new ConfigError(`${path} starts with "${header?.join(",") ?? ""}"; expected path,split,true,predicted,p_<class>...`);
  }
  const classes = header.slice(4).map((name) => name.slice(2));
  return lines.map((fields) => ({
    path: fields[0],
    split: fields[1],
    trueClass: fields[2],
    predictedClass: fields[3],
    probabilities: Object.fromEntries(classes.map((name, i) => [name, Number(fields[4 + i])])),
  }));
}
