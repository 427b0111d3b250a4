/**
 * Runs side by side on their robustness.json: what `fer compare` adds for the
 * runs that have one (the figure is viz's `robustnessComparisonFigure`).
 *
 * @module
 */
import { ConfigError, RunError } from "../core/errors.ts";
import type { RunManifest } from "../experiment/run_manifest.ts";
import { listRunIds, openRun, readRunJson } from "../experiment/run_store.ts";
import { makeRng } from "../core/seed.ts";
import { pairedBootstrapMeanDifferences } from "../eval/paired_bootstrap.ts";
import { pairedSeedDifference, seedDifferenceText, seedGroupName, summarizeSeeds } from "../eval/seed_statistics.ts";
import { PERTURBATION_FAMILIES } from "./perturbation.ts";
import { perImageScores, type RobustnessReport, worstPerturbations } from "./robustness_report.ts";

/** A run's robustness report with the config name and training seed of the run (its manifest). */
export interface RobustnessRun {
  /** The run's config name as its seeds group (`seedGroupName`: a sweep trial's, less its `-seed<N>`). */
  name: string;
  /** The seed the run trained with (the suite's own is `report.seed`). */
  trainingSeed: number;
  report: RobustnessReport;
}

/**
 * Reads robustness.json of each run that has one, with the run's config name
 * (as its seeds group) and training seed from its manifest.
 *
 * @param resultsRoot Results folder.
 * @param ids Run ids (runs without a robustness.json, or without a readable manifest, are skipped).
 * @returns The runs, in the order of `ids`.
 * @example
 * ```ts
 * const runs = await readRobustnessRuns("results", ids);
 * console.log(runs.map((r) => `${r.name} seed ${r.trainingSeed}`));
 * ```
 */
export async function readRobustnessRuns(resultsRoot: string, ids: readonly string[]): Promise<RobustnessRun[]> {
  const runs: RobustnessRun[] = [];
  for (const id of ids) {
    const run = await openRun(resultsRoot, id);
    const report = await readRunJson<RobustnessReport>(run, "robustness");
    if (!report) continue;
    let manifest: RunManifest | undefined;
    try {
      manifest = await readRunJson<RunManifest>(run, "manifest");
    } catch (error) {
      // A damaged manifest: the run table above already lists the run as damaged, with the file and what to do.
      if (!(error instanceof RunError)) throw error;
    }
    if (manifest) runs.push({ name: seedGroupName(manifest.name, manifest.seed), trainingSeed: manifest.seed, report });
  }
  return runs;
}

/**
 * One row per run: split and images, clean and mean corruption accuracy,
 * relative robustness, mean accuracy per family, mCE (when measured against a
 * baseline) and the three costliest perturbations.
 *
 * @param reports The runs' reports.
 * @returns Headers and text cells.
 * @example
 * ```ts
 * const { headers, cells } = robustnessComparisonTable(reports);
 * console.assert(headers[0] === "run");
 * ```
 */
export function robustnessComparisonTable(reports: readonly RobustnessReport[]): { headers: string[]; cells: string[][] } {
  const headers = ["run", "split (images)", "clean acc", "mean perturbed acc", "relative robustness", ...PERTURBATION_FAMILIES, "mCE (baseline)", "costliest"];
  const cells = reports.map((r) => [
    r.runId + (r.synthetic ? " (SYNTHETIC)" : ""),
    `${r.split} (${r.images})`,
    f(r.clean.accuracy),
    f(r.meanCorruptionAccuracy),
    f(r.relativeRobustness),
    ...PERTURBATION_FAMILIES.map((family) => f(r.perFamily.find((x) => x.family === family)?.meanAccuracy)),
    r.baseline ? `${f(r.baseline.mCE)} (${r.baseline.runId.slice(-6)})` : "",
    worstPerturbations(r, 3).map((p) => p.perturbation).join(", "),
  ]);
  return { headers, cells };
}

/**
 * The newest completed run of each config name (the `name` a config gives its
 * runs), or with `perSeed` of each name and training seed.
 *
 * @param resultsRoot Results folder.
 * @param names Config names, e.g. `["small_cnn", "capstone_cnn"]`.
 * @param options `perSeed`: one run per name and seed, for tables across training seeds. @default false
 * @returns Ids of completed runs, in the order of `names` (and of seeds, ascending, within a name).
 * @example
 * ```ts
 * const [cnn, transfer] = await newestCompletedRuns("results", ["capstone_cnn", "transfer_face_api_finetune"]);
 * const everySeed = await newestCompletedRuns("results", ["scratch_4class_small"], { perSeed: true });
 * ```
 */
export async function newestCompletedRuns(resultsRoot: string, names: readonly string[], options: { perSeed?: boolean } = {}): Promise<string[]> {
  const newest = new Map<string, Map<number, string>>();
  for (const id of await listRunIds(resultsRoot)) {
    const manifest = await readRunJson<RunManifest>(await openRun(resultsRoot, id), "manifest");
    if (manifest?.status !== "completed" || !names.includes(manifest.name)) continue;
    const bySeed = newest.get(manifest.name) ?? new Map<number, string>();
    // Run ids sort by start time, so a later id replaces an earlier one.
    bySeed.set(options.perSeed ? manifest.seed : 0, id);
    newest.set(manifest.name, bySeed);
  }
  return names.flatMap((name) => [...(newest.get(name) ?? new Map<number, string>()).entries()].sort(([a], [b]) => a - b).map(([, id]) => id));
}

/**
 * One row per perturbation (and one per family, then the overall mean): each
 * run's accuracy averaged over severities 1-5, and each later run's difference
 * from the first. Answers "what did this training change buy, and where?" for
 * runs measured on the same split and images with the same suite seed.
 *
 * When every report keeps per-image results (`perImage`, written by `fer
 * robustness` since 2026-12-04), each difference carries a paired bootstrap
 * 95% interval over the images (2,000 resamples, seed 0): both runs are
 * scored on the same resampled faces, so the interval is as narrow as the
 * pairing allows. Reports without per-image results (older ones), or suites
 * of other perturbations, give the differences alone, and `unpaired` says why.
 *
 * @param reports The runs' reports; the first is the reference.
 * @param options `resamples` of the bootstrap. @default 2000
 * @returns Headers, text cells, whether the differences carry intervals (`paired`), and if not, why and what to rerun (`unpaired`).
 * @throws {ConfigError} When the reports were measured on different splits, image counts or images.
 * @example
 * ```ts
 * const { headers, cells, paired } = robustnessPerturbationTable([plain, augmented]);
 * console.assert(headers[1] === "family");
 * ```
 */
export function robustnessPerturbationTable(
  reports: readonly RobustnessReport[],
  options: { resamples?: number } = {},
): { headers: string[]; cells: string[][]; paired: boolean; unpaired?: string } {
  const [first, ...later] = reports;
  if (!first) return { headers: ["perturbation", "family"], cells: [], paired: false };
  const other = later.find((r) => !sameImages(r, first));
  if (other) {
    throw new ConfigError(
      `Run ${other.runId} was measured on ${other.split} (${other.images} images${digestText(other)}, suite seed ${other.seed}), ` +
        `${first.runId} on ${first.split} (${first.images}${digestText(first)}, suite seed ${first.seed}); ` +
        "compare runs measured on the same images with the same perturbation draws (same dataset, --split, --limit and --seed)",
    );
  }
  const names = (r: RobustnessReport) => r.perPerturbation.map((p) => p.perturbation).join(",");
  const withoutPerImage = reports.filter((r) => r.perImage === undefined).map((r) => r.runId);
  const otherSuite = later.filter((r) => names(r) !== names(first)).map((r) => r.runId);
  // A family's mean over another set of perturbations is another statistic: intervals only for identical suites.
  const unpaired = withoutPerImage.length
    ? `${withoutPerImage.join(", ")} kept no per-image results; rerun deno task fer robustness on ${withoutPerImage.length > 1 ? "them" : "it"} for paired intervals`
    : otherSuite.length
    ? `${otherSuite.join(", ")} ran other perturbations than ${first.runId}; rerun with the same --only for paired intervals`
    : null;
  const paired = unpaired === null;
  const label = (r: RobustnessReport) => r.runId.replace(/^\d{8}-\d{6}-/, "");
  const headers = ["perturbation", "family", ...reports.map(label), ...later.map((r) => `${label(r)} - first`)];
  const rows = comparisonRows(first);
  // Every (row, later run) pair with per-image scores on both sides, bootstrapped together on one set of image resamples.
  const intervalPairs: { key: string; first: Float64Array; second: Float64Array }[] = [];
  if (paired) {
    for (const row of rows) {
      const reference = perImageScores(first.perImage!, row.scored);
      for (const r of later) {
        if (row.valueOf(r) !== undefined) intervalPairs.push({ key: `${row.name}\u0000${r.runId}`, first: perImageScores(r.perImage!, row.scored), second: reference });
      }
    }
  }
  const intervals = pairedBootstrapMeanDifferences(intervalPairs, makeRng(0), { resamples: options.resamples ?? 2000 });
  const intervalOf = new Map(intervalPairs.map((pair, k) => [pair.key, intervals[k]]));
  const cells = rows.map((row) => {
    const base = row.valueOf(first);
    return [
      row.name,
      row.family,
      ...reports.map((r) => f(row.valueOf(r))),
      ...later.map((r) => {
        const v = row.valueOf(r);
        if (v === undefined || base === undefined) return "";
        const ci = intervalOf.get(`${row.name}\u0000${r.runId}`);
        return ci ? `${signed(v - base)} [${signed(ci.low)}, ${signed(ci.high)}]` : signed(v - base);
      }),
    ];
  });
  return { headers, cells, paired, ...(unpaired ? { unpaired } : {}) };
}

/**
 * True when every report was measured on the same split and number of images
 * (the same `--split` and `--limit`), with the same suite seed (`--seed`, by
 * default the run's own) and, where reports keep per-image results, on the
 * same images, so {@linkcode robustnessPerturbationTable} can compare them.
 *
 * @param reports The runs' reports.
 * @returns Whether they share their images; true for fewer than two.
 * @example
 * ```ts
 * if (measuredOnSameImages(reports)) console.log(robustnessPerturbationTable(reports));
 * ```
 */
export function measuredOnSameImages(reports: readonly RobustnessReport[]): boolean {
  return reports.every((r) => sameImages(r, reports[0]));
}

function sameImages(a: RobustnessReport, b: RobustnessReport): boolean {
  const digests = a.perImage && b.perImage ? a.perImage.digest === b.perImage.digest : true;
  // The seed draws the random perturbations (noise, patches, shifts): another seed perturbs the same faces differently.
  return a.split === b.split && a.images === b.images && a.seed === b.seed && digests;
}

function digestText(report: RobustnessReport): string {
  return report.perImage ? `, images ${report.perImage.digest}` : "";
}

/**
 * Training changes across training seeds: for runs of several configs, each
 * trained with the same seeds, one row per perturbation (and family, and
 * overall) with each config's accuracy averaged over its seeds and each
 * config's difference from the first config, paired by training seed, with a
 * 95% Student-t interval over the seeds. The per-image intervals of
 * {@linkcode robustnessPerturbationTable} say whether one pair of runs differs
 * beyond the noise of the images; these say whether a change's effect repeats
 * beyond the noise of training (seed, initialisation, order), which a single
 * pair cannot show. With fewer than 3 shared seeds a cell gives the mean
 * difference and the seed count only.
 *
 * Within each training seed the runs must have been measured on the same
 * images with the same suite seed (by default the suite seed is the run's
 * own, so runs of one seed match); across seeds the suites may differ.
 *
 * @param runs Runs with their names and training seeds; the first run's name is the reference.
 * @returns Headers, text cells, and the training seeds the reference has, sorted.
 * @throws {ConfigError} When runs of one training seed were measured on different images or draws, or a config repeats a seed.
 * @example
 * ```ts
 * const { headers, cells } = robustnessSeedTable(await readRobustnessRuns("results", ids));
 * ```
 */
export function robustnessSeedTable(runs: readonly RobustnessRun[]): { headers: string[]; cells: string[][]; seeds: number[] } {
  const names = [...new Set(runs.map((r) => r.name))];
  const reference = names[0];
  const byName = new Map(names.map((name) => [name, new Map<number, RobustnessReport>()]));
  for (const run of runs) {
    const seeds = byName.get(run.name)!;
    if (seeds.has(run.trainingSeed)) {
      throw new ConfigError(
        `${run.name} has two runs with training seed ${run.trainingSeed} (${seeds.get(run.trainingSeed)!.runId}, ${run.report.runId}); name one run per config and seed`,
      );
    }
    seeds.set(run.trainingSeed, run.report);
  }
  const seeds = [...(byName.get(reference)?.keys() ?? [])].sort((a, b) => a - b);
  for (const seed of seeds) {
    const group = names.flatMap((name) => byName.get(name)!.get(seed) ?? []);
    if (!measuredOnSameImages(group)) {
      const measured = group.map((r) => `${r.runId}: ${r.split}, ${r.images} images, suite seed ${r.seed}`).join("; ");
      throw new ConfigError(
        `The runs of training seed ${seed} were measured on different images or perturbation draws (${measured}); ` +
          "rerun fer robustness on them with the same --split, --limit and --seed",
      );
    }
  }
  const first = byName.get(reference)!.get(seeds[0])!;
  const rows = comparisonRows(first);
  const others = names.slice(1);
  const valuesOf = (name: string, row: ComparisonRow) =>
    new Map([...byName.get(name)!].flatMap(([seed, r]) => {
      const v = row.valueOf(r);
      return v === undefined ? [] : [[seed, v] as [number, number]];
    }));
  const headers = [
    "perturbation",
    "family",
    ...names.map((name) => `${name} (mean of ${byName.get(name)!.size} seeds)`),
    ...others.map((name) => `${name} - ${reference}`),
  ];
  const cells = rows.map((row) => [
    row.name,
    row.family,
    ...names.map((name) => f(summarizeSeeds([...valuesOf(name, row).values()]).mean)),
    ...others.map((name) => seedDifferenceText(pairedSeedDifference(valuesOf(name, row), valuesOf(reference, row)))),
  ]);
  return { headers, cells, seeds };
}

/** One row of the comparison tables: its label and family, what its per-image scores average, and a report's figure for it. */
interface ComparisonRow {
  name: string;
  family: string;
  /** "clean", or the perturbations whose per-image fractions the row averages (see `perImageScores`). */
  scored: "clean" | readonly string[];
  valueOf: (r: RobustnessReport) => number | undefined;
}

/** The rows both comparison tables show, from the reference report's suite: clean, each perturbation, each family, all. */
function comparisonRows(reference: RobustnessReport): ComparisonRow[] {
  const namesOf = (family?: string) => reference.perPerturbation.filter((p) => family === undefined || p.family === family).map((p) => p.perturbation);
  return [
    { name: "clean", family: "", scored: "clean", valueOf: (r) => r.clean.accuracy },
    ...reference.perPerturbation.map((p) => ({
      name: p.perturbation,
      family: p.family,
      scored: [p.perturbation],
      valueOf: (r: RobustnessReport) => r.perPerturbation.find((x) => x.perturbation === p.perturbation)?.meanAccuracy,
    })),
    ...reference.perFamily.map((fam) => ({
      name: `${fam.family} (mean)`,
      family: fam.family,
      scored: namesOf(fam.family),
      valueOf: (r: RobustnessReport) => r.perFamily.find((x) => x.family === fam.family)?.meanAccuracy,
    })),
    { name: "all perturbations (mean)", family: "", scored: namesOf(), valueOf: (r) => r.meanCorruptionAccuracy },
  ];
}

/** An accuracy with three decimals; blank for none. */
function f(v: number | undefined): string {
  return v === undefined || Number.isNaN(v) ? "" : v.toFixed(3);
}

/** A difference with its sign and three decimals. */
function signed(v: number): string {
  return `${v >= 0 ? "+" : ""}${v.toFixed(3)}`;
}
