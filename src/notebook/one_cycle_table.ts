/**
 * The rate and momentum a one-cycle schedule gives a run's steps, as a table for a notebook.
 *
 * @module
 */
import type { RunConfig } from "../experiment/run_config.ts";
import { oneCycleValues } from "../train/one_cycle_schedule.ts";
import type { Table } from "../viz/table.ts";

/**
 * The one-cycle schedule's values at the landmarks of a training: its first
 * step, halfway up, the peak, halfway down and its last step.
 *
 * @param config A run config whose `training.schedule` is one_cycle.
 * @param trainImages Training images per epoch (the run manifest's `dataset.counts.train`).
 * @param options `caption` of the table.
 * @returns Rows of step, epoch (1-based), learning rate and momentum ("-" when the schedule leaves it alone).
 * @throws Error when the config's schedule is not one_cycle.
 * @example
 * ```ts
 * const table = oneCycleTable(config, outcome.manifest.dataset.counts.train);
 * ```
 */
export function oneCycleTable(config: RunConfig, trainImages: number, options: { caption?: string } = {}): Table {
  const { schedule, optimizer, epochs, batchSize } = config.training;
  if (schedule.name !== "one_cycle") throw new Error(`oneCycleTable needs a one_cycle schedule; ${config.name} has ${schedule.name}`);
  const stepsPerEpoch = Math.max(1, Math.ceil(trainImages / batchSize));
  const totalSteps = stepsPerEpoch * epochs;
  const peak = Math.max(0, Math.round(schedule.warmupFraction * totalSteps) - 1);
  const landmarks = [0, Math.round(peak / 2), peak, Math.round((peak + totalSteps - 1) / 2), totalSteps - 1];
  const cells = [...new Set(landmarks)].map((step) => {
    const values = oneCycleValues(step, totalSteps, { maxLr: optimizer.learningRate, ...schedule });
    return [step, Math.floor(step / stepsPerEpoch) + 1, values.lr.toExponential(2), values.momentum === null ? "-" : values.momentum.toFixed(3)];
  });
  return {
    ...(options.caption ? { caption: options.caption } : {}),
    headers: ["step", "epoch", "learning rate", optimizer.name === "adam" ? "beta1" : "momentum"],
    cells,
  };
}
