/**
 * The checks a transfer config needs across sections, run by parseRunConfig
 * so a bad combination fails before any file is read.
 *
 * @module
 */
import { type AugmentationConfig, isAugmentationOff } from "../data/augmentation_config.ts";
import type { TransferSection } from "./transfer_section.ts";
import { BACKBONES } from "./backbone_registry.ts";
import { matchClassLabels } from "./match_class_labels.ts";

/** One problem: the field path and what is wrong with it. */
export interface ConfigIssue {
  path: (string | number)[];
  message: string;
}

/**
 * Lists what does not fit together in a transfer config: standardised inputs
 * (the backbone's own normalisation needs raw or [0, 1] pixels), augmentation
 * or CutMix in frozen mode (features are computed once), fine-tuning a graph backbone,
 * and pretrained mode on a backbone without a classifier or with a class it does not know.
 *
 * @param config The dataset fields that matter, the transfer model section and the training mix.
 * @returns The issues; empty when the config is consistent.
 * @example
 * ```ts
 * const issues = transferConfigIssues({
 *   dataset: { preprocessing: "standardize", augmentation: {}, classes: ["happy", "sad"] },
 *   model: { family: "transfer", backbone: "face_api_expression", mode: "frozen", head: { hiddenUnits: [], dropout: 0 }, unfreezeLast: 4, learningRateScale: 0.1, headWarmupEpochs: 5 },
 * });
 * console.assert(issues[0].path.join(".") === "dataset.preprocessing");
 * ```
 */
export function transferConfigIssues(config: {
  dataset: { preprocessing: string; augmentation: AugmentationConfig; classes: readonly string[] };
  model: TransferSection;
  training?: { mix: { name: string } | null };
}): ConfigIssue[] {
  const { dataset, model, training } = config;
  const issues: ConfigIssue[] = [];
  if (dataset.preprocessing === "standardize") {
    issues.push({
      path: ["dataset", "preprocessing"],
      message: 'Transfer models normalise inputs the backbone\'s way, from raw or [0, 1] pixels; use "scale_0_1" or "none", not "standardize"',
    });
  }
  if (model.mode === "frozen" && !isAugmentationOff(dataset.augmentation)) {
    issues.push({
      path: ["dataset", "augmentation"],
      message: 'Frozen mode computes features once, so augmentation would never be applied; turn it off or use model.mode "fine_tune"',
    });
  }
  if (model.mode === "frozen" && training?.mix?.name === "cutmix") {
    issues.push({
      path: ["training", "mix"],
      message: 'Frozen mode trains the head on feature vectors, where CutMix has no image to cut; use "mixup", null, or model.mode "fine_tune"',
    });
  }
  const registered = typeof model.backbone === "string" ? BACKBONES[model.backbone] : null;
  if (model.mode === "fine_tune" && registered?.kind === "graph") {
    issues.push({
      path: ["model", "mode"],
      message: `Backbone ${model.backbone} is a frozen graph model and cannot be fine-tuned; use "frozen", or face_api_expression or face_api_recognition`,
    });
  }
  if (model.mode === "pretrained") {
    const labels = registered?.classifierLabels ?? null;
    if (labels === null) {
      issues.push({
        path: ["model", "backbone"],
        message: 'Mode "pretrained" needs a backbone with a packaged classifier: face_api_expression or human_emotion',
      });
    } else {
      try {
        matchClassLabels(dataset.classes, labels, { source: String(model.backbone) });
      } catch (error) {
        issues.push({ path: ["dataset", "classes"], message: (error as Error).message });
      }
    }
  }
  return issues;
}
