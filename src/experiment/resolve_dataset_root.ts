/**
 * Turns `dataset.root` into a folder, falling back to synthetic faces.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { SYNTHETIC_MARKER_FILE } from "../data/classes.ts";
import { pathExists } from "../data/path_exists.ts";
import { generateSyntheticDataset } from "../data/synthetic_faces.ts";

/** The dataset "auto" means: the 4-class set. `auto:<name>` names another (`auto:fer2013`). */
export const DEFAULT_AUTO_DATASET = "facial_emotion_images";

/**
 * Where `auto:<name>` looks, relative to the project root, in order: the
 * project's own data/ folder, then the shared data folder beside the project.
 *
 * @param name The dataset's folder name.
 * @returns The candidate folders.
 * @example
 * ```ts
 * console.assert(autoDatasetCandidates("fer2013")[0] === "data/fer2013");
 * ```
 */
export function autoDatasetCandidates(name: string): string[] {
  return [`data/${name}`, `../shared/data/${name}`];
}

/** Where "auto" looks, relative to the project root, in order. */
export const AUTO_DATASET_CANDIDATES = autoDatasetCandidates(DEFAULT_AUTO_DATASET);

/** Where "auto" writes synthetic faces when no dataset is found. */
export const SYNTHETIC_DATASET_FOLDER = "data/synthetic";

/** Images per class and split of the default synthetic set. */
export const SYNTHETIC_PER_CLASS = { train: 300, validation: 60, test: 40 };

/**
 * Seed of the default synthetic set. Fixed, not the run's seed, so every run
 * and every machine sees the same synthetic images.
 */
export const SYNTHETIC_SEED = 2013;

/** What {@linkcode resolveDatasetRoot} decided. */
export interface ResolvedRoot {
  root: string;
  /** A sentence for the terminal: which dataset, and why. */
  reason: string;
}

/**
 * Resolves a config's dataset root.
 *
 * A path other than "auto" is used as given (relative to the project root).
 * "auto" takes the first of {@linkcode AUTO_DATASET_CANDIDATES} that exists,
 * `auto:<name>` the first of `data/<name>` and `../shared/data/<name>`;
 * when none does, it generates (once) synthetic faces of the configured
 * classes into {@linkcode SYNTHETIC_DATASET_FOLDER} with {@linkcode SYNTHETIC_SEED}.
 *
 * @param root The config's `dataset.root`.
 * @param options Project root and classes (synthetic images are 48x48; decoding resizes them).
 * @returns The folder and the reason.
 * @example
 * ```ts
 * const { root, reason } = await resolveDatasetRoot("auto", { projectRoot: ".", classes: ["happy", "sad"] });
 * ```
 */
export async function resolveDatasetRoot(
  root: string,
  options: { projectRoot: string; classes: readonly string[] },
): Promise<ResolvedRoot> {
  const named = /^auto:([A-Za-z0-9_.-]+)$/.exec(root);
  if (root !== "auto" && !named) return { root: resolve(options.projectRoot, root), reason: `Dataset ${root} (from the config)` };
  const candidates = autoDatasetCandidates(named ? named[1] : DEFAULT_AUTO_DATASET);
  for (const candidate of candidates) {
    const path = resolve(options.projectRoot, candidate);
    if (await pathExists(join(path, "train"), { kind: "directory" })) return { root: path, reason: `Dataset ${candidate} (real data found)` };
  }
  const synthetic = resolve(options.projectRoot, SYNTHETIC_DATASET_FOLDER, options.classes.join("_"));
  if (!(await pathExists(join(synthetic, SYNTHETIC_MARKER_FILE)))) {
    await generateSyntheticDataset(synthetic, {
      perClass: SYNTHETIC_PER_CLASS,
      classes: [...options.classes],
      seed: SYNTHETIC_SEED,
    });
  }
  return {
    root: synthetic,
    reason: `No dataset at ${candidates.join(" or ")}: using SYNTHETIC faces in ${SYNTHETIC_DATASET_FOLDER} ` +
      "(results say nothing about real faces; see data/README.md to get a real dataset)",
  };
}
