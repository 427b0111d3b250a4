/**
 * Runs side by side on their robustness.json: what `fer compare` adds for the
 * runs that have one (the figure is viz's `robustnessComparisonFigure`).
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import type { RunManifest } from "../experiment/run_manifest.ts";
import { listRunIds, openRun, readRunJson } from "../experiment/run_store.ts";
import { PERTURBATION_FAMILIES } from "./perturbation.ts";
import { type RobustnessReport, worstPerturbations } from "./robustness_report.ts";

/**
 * Reads robustness.json of each run that has one.
 *
 * @param resultsRoot Results folder.
 * @param ids Run ids (runs without a robustness.json are skipped).
 * @returns The reports, in the order of `ids`.
 * @example
 * ```ts
 * const reports = await readRobustnessReports("results", ["run-a", "run-b"]);
 * ```
 */
export async function readRobustnessReports(resultsRoot: string, ids: readonly string[]): Promise<RobustnessReport[]> {
  const reports: RobustnessReport[] = [];
  for (const id of ids) {
    const report = await readRunJson<RobustnessReport>(await openRun(resultsRoot, id), "robustness");
    if (report) reports.push(report);
  }
  return reports;
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
  const f = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? "" : v.toFixed(3));
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
 * The newest completed run of each config name (the `name` a config gives its runs).
 *
 * @param resultsRoot Results folder.
 * @param names Config names, e.g. `["small_cnn", "capstone_cnn"]`.
 * @returns One id per name that has a completed run with a model, in the order of `names`.
 * @example
 * ```ts
 * const [cnn, transfer] = await newestCompletedRuns("results", ["capstone_cnn", "transfer_face_api_finetune"]);
 * ```
 */
export async function newestCompletedRuns(resultsRoot: string, names: readonly string[]): Promise<string[]> {
  const newest = new Map<string, string>();
  for (const id of await listRunIds(resultsRoot)) {
    const manifest = await readRunJson<RunManifest>(await openRun(resultsRoot, id), "manifest");
    if (manifest?.status === "completed" && names.includes(manifest.name)) newest.set(manifest.name, id);
  }
  return names.flatMap((name) => newest.get(name) ?? []);
}

/**
 * One row per perturbation (and one per family, then the overall mean): each
 * run's accuracy averaged over severities 1-5, and each later run's difference
 * from the first. Answers "what did this training change buy, and where?" for
 * runs measured on the same split and images.
 *
 * @param reports The runs' reports; the first is the reference.
 * @returns Headers and text cells.
 * @throws {ConfigError} When the reports were measured on different splits or image counts.
 * @example
 * ```ts
 * const { headers, cells } = robustnessPerturbationTable([plain, augmented]);
 * console.assert(headers[1] === "family");
 * ```
 */
export function robustnessPerturbationTable(reports: readonly RobustnessReport[]): { headers: string[]; cells: string[][] } {
  const [first, ...later] = reports;
  if (!first) return { headers: ["perturbation", "family"], cells: [] };
  const other = later.find((r) => !sameImages(r, first));
  if (other) {
    throw new ConfigError(
      `Run ${other.runId} was measured on ${other.split} (${other.images} images), ${first.runId} on ${first.split} (${first.images}); ` +
        "compare runs measured on the same split and images (same --split and --limit)",
    );
  }
  const label = (r: RobustnessReport) => r.runId.replace(/^\d{8}-\d{6}-/, "");
  const headers = ["perturbation", "family", ...reports.map(label), ...later.map((r) => `${label(r)} - first`)];
  const f = (v: number | undefined) => (v === undefined ? "" : v.toFixed(3));
  const signed = (v: number | undefined) => (v === undefined ? "" : `${v >= 0 ? "+" : ""}${v.toFixed(3)}`);
  const row = (name: string, family: string, valueOf: (r: RobustnessReport) => number | undefined) => {
    const base = valueOf(first);
    return [
      name,
      family,
      ...reports.map((r) => f(valueOf(r))),
      ...later.map((r) => {
        const v = valueOf(r);
        return v === undefined || base === undefined ? "" : signed(v - base);
      }),
    ];
  };
  const cells = [
    row("clean", "", (r) => r.clean.accuracy),
    ...first.perPerturbation.map((p) =>
      row(p.perturbation, p.family, (r) => r.perPerturbation.find((x) => x.perturbation === p.perturbation)?.meanAccuracy)
    ),
    ...first.perFamily.map((fam) => row(`${fam.family} (mean)`, fam.family, (r) => r.perFamily.find((x) => x.family === fam.family)?.meanAccuracy)),
    row("all perturbations (mean)", "", (r) => r.meanCorruptionAccuracy),
  ];
  return { headers, cells };
}

/**
 * True when every report was measured on the same split and number of images
 * (the same `--split` and `--limit`), so {@linkcode robustnessPerturbationTable} can compare them.
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
  return a.split === b.split && a.images === b.images;
}
