/**
 * `fer fairness`: a run's predictions broken down by the groups a groups file
 * (or the image conditions) assigns, written as fairness.json and plots.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import { atomicWrite } from "../core/atomic_write.ts";
import { loadDataset } from "../data/load_dataset.ts";
import type { ImageSet } from "../data/image_set.ts";
import { groupGaps, groupScores } from "../eval/group_metrics.ts";
import { unequalizedLoadOptions } from "../experiment/dataset_load_options.ts";
import { readPredictions } from "../experiment/read_predictions.ts";
import type { RunConfig } from "../experiment/run_config.ts";
import type { RunManifest } from "../experiment/run_manifest.ts";
import { readRunJson, type RunHandle, runPath, writeRunJson } from "../experiment/run_store.ts";
import { saveRunFigures } from "../experiment/write_run_plots.ts";
import { fairnessFigures } from "../viz/fairness_figures.ts";
import type { AttributeReport, FairnessReport, GroupMetrics } from "./fairness_report.ts";
import { matchGroups, parseGroupsCsv, readGroupsFile } from "./groups_file.ts";
import { imageConditionGroups } from "./image_condition_groups.ts";

/** Words in a column name that suggest an attribute of people. */
const DEMOGRAPHIC_WORDS = ["gender", "sex", "age", "race", "ethnic", "skin", "tone", "culture", "country", "nationality", "disab"];

/** Options for {@linkcode runFairness}. */
export interface FairnessOptions {
  /** A groups CSV, or `"conditions"` for the image-condition groups (brightness, contrast, FER-2013 source). */
  groups: string;
  /** Split of predictions.csv to break down. @default "validation" */
  split?: string;
  /** Attribute columns to use. @default every column but the image column */
  columns?: readonly string[];
  /** Columns whose values a model inferred (apparent age, gender...): labelled "inferred, not self-reported" everywhere. @default none */
  inferred?: readonly string[];
  /** Groups with fewer images are flagged and left out of the gaps. @default 30 */
  minGroupSize?: number;
  /** Also report every pair of attributes crossed (`a x b`). @default true */
  intersections?: boolean;
  /** Decoded-dataset cache, for `"conditions"`. */
  cacheDir: string | null;
  /** Write PNG/SVG plots as well as HTML. @default false */
  images?: boolean;
  /** Progress and warnings. @default none */
  log?: (line: string) => void;
}

/**
 * Reads the run's predictions on a split, assigns each image its groups,
 * and reports per attribute and per intersection: count, accuracy with a 95%
 * interval, macro-F1, per-class recall and false-positive rate, the gaps, and
 * notes on what cannot be judged. Writes fairness.json and plots.
 *
 * @param run A run with predictions.csv.
 * @param options See {@linkcode FairnessOptions}.
 * @returns The report written.
 * @throws {ConfigError} For a missing predictions.csv, split or column, or a groups file naming no image of the split.
 * @example
 * ```ts
 * const report = await runFairness(run, { groups: "conditions", cacheDir: ".cache/datasets" });
 * ```
 */
export async function runFairness(run: RunHandle, options: FairnessOptions): Promise<FairnessReport> {
  const config = await readRunJson<RunConfig>(run, "config");
  if (!config) throw new ConfigError(`Run ${run.id} has no config.json`);
  const split = options.split ?? "validation";
  const all = await readPredictions(run);
  const rows = all.filter((r) => r.split === split);
  if (rows.length === 0) {
    throw new ConfigError(`Run ${run.id} has no predictions on "${split}"; its predictions.csv has: ${[...new Set(all.map((r) => r.split))].join(", ")}`);
  }
  const classes = config.dataset.classes;
  const minGroupSize = options.minGroupSize ?? 30;
  const manifest = await readRunJson<RunManifest>(run, "manifest");
  let groupsFile = options.groups;
  let table;
  if (options.groups === "conditions") {
    const root = manifest?.dataset.root;
    if (!root) throw new ConfigError(`Run ${run.id} has no manifest.json naming its dataset; pass a groups file instead of "conditions"`);
    // Conditions describe the photograph as taken, so faces are decoded without the run's equalisation (which flattens brightness and contrast).
    const dataset = await loadDataset(root, unequalizedLoadOptions(config, options.cacheDir));
    const set = (dataset.splits as Record<string, ImageSet | undefined>)[split];
    if (!set) throw new ConfigError(`Split "${split}" is not in ${root}`);
    const csv = imageConditionGroups(set);
    groupsFile = runPath(run, "fairnessGroups");
    await atomicWrite(groupsFile, csv);
    table = parseGroupsCsv(csv, { source: groupsFile, columns: options.columns });
  } else {
    table = await readGroupsFile(options.groups, options.columns);
  }
  for (const column of options.inferred ?? []) {
    if (!table.attributes.includes(column)) {
      throw new ConfigError(`Column "${column}" given to --inferred is not an attribute of ${groupsFile}; its attributes are ${table.attributes.join(", ")}`);
    }
  }
  const { values, unmatched } = matchGroups(table, rows.map((r) => r.path));
  const matchedIndices = values.flatMap((v, i) => (v ? [i] : []));
  if (matchedIndices.length === 0) {
    throw new ConfigError(
      `Groups file ${groupsFile} names no image of ${split} (${table.rows.length} rows, e.g. "${table.rows[0].key}"; images are named like "${rows[0].path}"); ` +
        `use paths relative to the dataset root or file names`,
    );
  }
  const classIndex = new Map(classes.map((c, i) => [c, i]));
  const yTrue = rows.map((r) => classIndex.get(r.trueClass) ?? -1);
  const yPred = rows.map((r) => classIndex.get(r.predictedClass) ?? -1);
  const display = (attribute: string) => (options.inferred?.includes(attribute) ? `${attribute} (inferred, not self-reported)` : attribute);
  const scoresOf = (group: string, indices: number[]): GroupMetrics => ({
    group,
    ...groupScores(indices.map((i) => yTrue[i]), indices.map((i) => yPred[i]), classes),
    tooSmall: indices.length < minGroupSize,
  });
  const attributeReport = (name: string, keyOf: (v: Record<string, string>) => string): AttributeReport => {
    const byGroup = new Map<string, number[]>();
    for (const i of matchedIndices) byGroup.set(keyOf(values[i]!), [...(byGroup.get(keyOf(values[i]!)) ?? []), i]);
    const groups = [...byGroup.keys()].sort().map((g) => scoresOf(g, byGroup.get(g)!));
    const judged = groups.filter((g) => !g.tooSmall);
    return { attribute: name, groups, gaps: { compared: judged.length, ...groupGaps(judged, classes) } };
  };
  const perAttribute = table.attributes.map((a) => attributeReport(display(a), (v) => v[a]));
  if (options.intersections ?? true) {
    for (let i = 0; i < table.attributes.length; i++) {
      for (let j = i + 1; j < table.attributes.length; j++) {
        const [a, b] = [table.attributes[i], table.attributes[j]];
        perAttribute.push(attributeReport(`${display(a)} x ${display(b)}`, (v) => `${v[a]} | ${v[b]}`));
      }
    }
  }
  const notes = fairnessNotes({
    attributes: table.attributes,
    inferred: options.inferred ?? [],
    conditions: options.groups === "conditions",
    perAttribute,
    table,
    unmatched,
    unlisted: rows.length - matchedIndices.length,
    split,
    minGroupSize,
  });
  const report: FairnessReport = {
    runId: run.id,
    split,
    groupsFile,
    classes: [...classes],
    synthetic: manifest?.dataset.synthetic ?? false,
    matched: matchedIndices.length,
    unlisted: rows.length - matchedIndices.length,
    unmatchedRows: { count: unmatched.length, examples: unmatched.slice(0, 10) },
    minGroupSize,
    attributes: table.attributes.map(display),
    overall: scoresOf("all", matchedIndices),
    perAttribute,
    notes,
    createdAt: new Date().toISOString(),
  };
  await writeRunJson(run, "fairness", report);
  await saveRunFigures(run, fairnessFigures(report), { images: options.images ?? false, log: options.log ?? (() => {}) });
  return report;
}

function fairnessNotes(facts: {
  attributes: string[];
  inferred: readonly string[];
  conditions: boolean;
  perAttribute: AttributeReport[];
  table: { rows: { key: string; values: Record<string, string> }[] };
  unmatched: string[];
  unlisted: number;
  split: string;
  minGroupSize: number;
}): string[] {
  const notes: string[] = [];
  if (facts.conditions) {
    notes.push(
      "Groups are image conditions (brightness and contrast terciles, FER-2013 source split) computed from pixels and file names: they describe photographs, not people, and say nothing about fairness across groups of people",
    );
  }
  const demographic = facts.attributes.filter((a) => DEMOGRAPHIC_WORDS.some((w) => a.toLowerCase().includes(w)));
  if (demographic.length === 0) {
    notes.push(
      `No attribute is demographic (${facts.attributes.join(", ")}): this report does not measure performance across groups of people; FER-2013 has no demographic labels`,
    );
  } else {
    const selfReported = demographic.filter((a) => !facts.inferred.includes(a));
    if (selfReported.length) notes.push(`Attributes ${selfReported.join(", ")} are taken as given in the groups file; the workbench cannot check how they were recorded`);
  }
  for (const a of facts.inferred) {
    notes.push(
      `${a} was inferred by a model, not self-reported: inferred apparent attributes are weak evidence (their errors differ by group and distort gap estimates; Lian and Celiktutan 2025)`,
    );
  }
  const small = facts.perAttribute.flatMap((a) => a.groups.filter((g) => g.tooSmall).map((g) => `${a.attribute} = ${g.group} (${g.count})`));
  if (small.length) {
    notes.push(`${small.length} groups have fewer than ${facts.minGroupSize} images and are too small to judge (left out of the gaps): ${small.slice(0, 8).join(", ")}${small.length > 8 ? ", ..." : ""}`);
  }
  // A value whose every row names no image of the split: an empty group.
  const unmatchedKeys = new Set(facts.unmatched);
  for (const attribute of facts.attributes) {
    const present = new Set(facts.table.rows.filter((r) => !unmatchedKeys.has(r.key)).map((r) => r.values[attribute]));
    const empty = [...new Set(facts.table.rows.map((r) => r.values[attribute]))].filter((v) => !present.has(v));
    if (empty.length) notes.push(`Group ${attribute} = ${empty.join(", ")} has no image in ${facts.split}: every row of it names an image not in the split`);
  }
  if (facts.unmatched.length) notes.push(`${facts.unmatched.length} rows of the groups file name no image of ${facts.split} (e.g. ${facts.unmatched.slice(0, 3).join(", ")}); they are left out`);
  if (facts.unlisted) notes.push(`${facts.unlisted} images of ${facts.split} are not in the groups file; they are left out`);
  return notes;
}
