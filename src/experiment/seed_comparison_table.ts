/**
 * Accuracy across training seeds: for runs of several configs, each trained
 * with the same seeds (`fer run <config> --seed N`), whether a config's
 * difference from the first repeats beyond the noise of training
 * (initialisation, batch order, augmentation draws), which one pair of runs
 * cannot show: a paired test of two runs says whether they differ beyond the
 * noise of the images, not whether another seed would differ the same way.
 *
 * @module
 */
import { pairedSeedDifference, seedDifferenceText, seedGroupName, summarizeSeeds } from "../eval/seed_statistics.ts";
import type { ComparisonRow } from "./compare_runs.ts";

/** A config's rows of {@linkcode accuracySeedTable}: the runs the table read, by seed. */
type BySeed = Map<number, ComparisonRow>;

/**
 * One row per config name among the completed runs with a validation score,
 * in the order the names first appear (a sweep's trials of one setting share
 * a row: see `seedGroupName`): the training seeds, the mean (with a
 * 95% t interval over the seeds) of validation, leak-free validation and test
 * accuracy and of validation ECE, and for every config after the first its validation and
 * leak-free validation difference from the first, paired by seed (the seeds
 * both have), with a 95% t interval from 3 seeds on (below: the mean and the
 * count). A config with two completed runs of one seed counts the newest
 * (rows come oldest first).
 *
 * @param rows From `compareRuns` (ensembles and runs without validation scores are left out).
 * @returns Headers and cells, or null unless some config shares at least 2 seeds with the first.
 * @example
 * ```ts
 * const table = accuracySeedTable(await compareRuns("results", ids));
 * if (table) console.log(tableText(table));
 * ```
 */
export function accuracySeedTable(rows: readonly ComparisonRow[]): { headers: string[]; cells: string[][]; seeds: number[] } | null {
  const byName = new Map<string, BySeed>();
  for (const row of rows) {
    if (row.kind !== "run" || row.status !== "completed" || row.seed === null || row.valAccuracy === null) continue;
    const name = seedGroupName(row.name, row.seed);
    const bySeed = byName.get(name) ?? new Map<number, ComparisonRow>();
    bySeed.set(row.seed, row);
    byName.set(name, bySeed);
  }
  const names = [...byName.keys()];
  if (names.length < 2) return null;
  const reference = byName.get(names[0])!;
  const shared = (other: BySeed) => [...other.keys()].filter((seed) => reference.has(seed));
  if (!names.slice(1).some((name) => shared(byName.get(name)!).length >= 2)) return null;

  const values = (bySeed: BySeed, pick: (row: ComparisonRow) => number | undefined) =>
    new Map([...bySeed].flatMap(([seed, row]) => {
      const v = pick(row);
      return v === undefined ? [] : [[seed, v] as [number, number]];
    }));
  const validation = (row: ComparisonRow) => row.valAccuracy?.value;
  const leakFree = (row: ComparisonRow) => row.valLeakFreeAccuracy?.value;
  const test = (row: ComparisonRow) => row.testAccuracy?.value;
  const calibration = (row: ComparisonRow) => row.valEce ?? undefined;
  const mean = (bySeed: BySeed, pick: (row: ComparisonRow) => number | undefined) => {
    const s = summarizeSeeds([...values(bySeed, pick).values()]);
    if (s.count === 0) return "";
    return s.count >= 2 ? `${s.mean.toFixed(3)} [${s.low.toFixed(3)}, ${s.high.toFixed(3)}]` : s.mean.toFixed(3);
  };
  const difference = (bySeed: BySeed, pick: (row: ComparisonRow) => number | undefined) =>
    seedDifferenceText(pairedSeedDifference(values(bySeed, pick), values(reference, pick)));
  const headers = [
    "config",
    "seeds",
    "val acc (mean [95% t])",
    "val leak-free acc",
    "test acc",
    "val ECE",
    `val acc - ${names[0]} (paired by seed)`,
    `val leak-free - ${names[0]}`,
  ];
  const cells = names.map((name, i) => {
    const bySeed = byName.get(name)!;
    return [
      name,
      [...bySeed.keys()].sort((a, b) => a - b).join(", "),
      mean(bySeed, validation),
      mean(bySeed, leakFree),
      mean(bySeed, test),
      mean(bySeed, calibration),
      i === 0 ? "" : difference(bySeed, validation),
      i === 0 ? "" : difference(bySeed, leakFree),
    ];
  });
  return { headers, cells, seeds: [...reference.keys()].sort((a, b) => a - b) };
}
