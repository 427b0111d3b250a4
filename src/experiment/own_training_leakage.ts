/**
 * Which images of a dataset a run trained on another dataset may have seen:
 * a copy of them in the run's own train split. A 7-class net trained on all
 * of FER-2013 Training has seen more of the 4-class validation images than
 * the 4-class train split holds copies of, so its leak-free figures there
 * (and an ensemble's it joins) leave out both.
 *
 * @module
 */
import { findLeakedImages, leakedFlags } from "../data/find_leaked_images.ts";
import type { ImageSet } from "../data/image_set.ts";
import { loadDataset } from "../data/load_dataset.ts";
import { pathExists } from "../data/path_exists.ts";
import { join } from "node:path";
import { datasetLoadOptions } from "./dataset_load_options.ts";
import type { RunConfig } from "./run_config.ts";

/** What {@linkcode leakedFromOwnTraining} found. */
export type OwnTrainingLeakage =
  /** The run trained on the evaluated dataset (or does not say where): its train split is the one already checked. */
  | { kind: "same_data" }
  /** Per split name, one flag per image: true when it has an exact or near copy in the run's train split. */
  | { kind: "checked"; trainRoot: string; flags: Record<string, boolean[]> }
  /** The run's training folder is not here: what it saw cannot be checked. */
  | { kind: "unknown"; trainRoot: string };

/**
 * Compares the images of `sets` (decoded with the run's options) with the
 * train split of the folder the run was trained on, when that is not `root`.
 *
 * @param facts The run's config, the folder its manifest says it trained on (undefined: unknown, taken as
 *   `root`), the evaluated dataset's root, and the decode cache.
 * @param sets The evaluated splits as the run read them, by split name.
 * @returns Same data, the flags per split, or unknown when the training folder is gone.
 * @example
 * ```ts
 * const own = await leakedFromOwnTraining({ config, trainRoot: manifest.dataset.root, root, cacheDir: null }, { validation });
 * if (own.kind === "checked") console.log(own.flags.validation.filter(Boolean).length);
 * ```
 */
export async function leakedFromOwnTraining(
  facts: { config: RunConfig; trainRoot: string | undefined; root: string; cacheDir: string | null },
  sets: Readonly<Record<string, ImageSet>>,
): Promise<OwnTrainingLeakage> {
  const { trainRoot } = facts;
  if (trainRoot === undefined || trainRoot === facts.root) return { kind: "same_data" };
  if (!(await pathExists(join(trainRoot, "train"), { kind: "directory" }))) return { kind: "unknown", trainRoot };
  const own = await loadDataset(trainRoot, { ...datasetLoadOptions(facts.config, facts.cacheDir), splits: ["train"] });
  const leakage = findLeakedImages(own.splits.train, sets);
  const flags: Record<string, boolean[]> = {};
  for (const [name, set] of Object.entries(sets)) flags[name] = leakedFlags(set.paths, leakage)!;
  return { kind: "checked", trainRoot, flags };
}

/**
 * Per image, true when any of the flag lists marks it; undefined when any list is unknown (a leak-free figure
 * must not claim a cleanliness nobody checked).
 *
 * @param lists Flag lists over the same images, in the same order.
 * @returns Their union, or undefined.
 * @example
 * ```ts
 * console.assert(anyLeaked([[true, false], [false, false]])?.join() === "true,false");
 * ```
 */
export function anyLeaked(lists: readonly (readonly boolean[] | undefined)[]): boolean[] | undefined {
  if (lists.length === 0 || lists.some((list) => list === undefined)) return undefined;
  return lists[0]!.map((_, i) => lists.some((list) => list![i]));
}
