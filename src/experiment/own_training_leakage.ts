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
import type { SplitName } from "../data/classes.ts";
import { loadDataset } from "../data/load_dataset.ts";
import { pathExists } from "../data/path_exists.ts";
import { join } from "node:path";
import { unequalizedLoadOptions } from "./dataset_load_options.ts";
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
 * Compares the images at `paths` (per split, relative to `root`) with the train split of the folder the run was
 * trained on, when that is not `root`. Both are read as decoded, before any equalisation, as loadDataset finds a
 * dataset's own leaks, so the leak-free part is the same for every run.
 *
 * @param facts The run's config, the folder its manifest says it trained on (undefined: unknown, taken as
 *   `root`), the evaluated dataset's root and the classes it is read with, and the decode cache.
 * @param paths The evaluated images by split name (validation, test).
 * @returns Same data, the flags per split (in the order of `paths`), or unknown when the training folder is gone.
 * @example
 * ```ts
 * const own = await leakedFromOwnTraining({ config, trainRoot: manifest.dataset.root, root, classes, cacheDir: null }, { validation: set.paths });
 * if (own.kind === "checked") console.log(own.flags.validation.filter(Boolean).length);
 * ```
 */
export async function leakedFromOwnTraining(
  facts: { config: RunConfig; trainRoot: string | undefined; root: string; classes: readonly string[]; cacheDir: string | null },
  paths: Readonly<Record<string, readonly string[]>>,
): Promise<OwnTrainingLeakage> {
  const { trainRoot } = facts;
  if (trainRoot === undefined || trainRoot === facts.root) return { kind: "same_data" };
  if (!(await pathExists(join(trainRoot, "train"), { kind: "directory" }))) return { kind: "unknown", trainRoot };
  const plain = { ...unequalizedLoadOptions(facts.config, facts.cacheDir), dropLeaked: false };
  const own = await loadDataset(trainRoot, { ...plain, splits: ["train"] });
  const names = Object.keys(paths) as SplitName[];
  const evaluated = names.length === 0 ? undefined : await loadDataset(facts.root, { ...plain, classes: facts.classes, splits: names });
  const leakage = findLeakedImages(own.splits.train, Object.fromEntries(names.map((name) => [name, evaluated?.splits[name]])));
  const flags: Record<string, boolean[]> = {};
  for (const name of names) flags[name] = leakedFlags(paths[name], leakage)!;
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
