/**
 * A run's model card, with the Model Card Toolkit's fields (schema 0.0.2:
 * model_details, model_parameters, quantitative_analysis, considerations),
 * built only from what the run folder and its reports hold. Pure: the caller reads the files.
 *
 * @module
 */
import type { SplitMetrics } from "../eval/evaluate_predictions.ts";
import { describeEvaluationSettings, type SavedDatasetEvaluation } from "../experiment/save_dataset_evaluation.ts";
import type { RunManifest } from "../experiment/run_manifest.ts";
import { distillText } from "../experiment/teacher_targets.ts";
import type { FairnessReport } from "../fairness/fairness_report.ts";
import { ttaText } from "../predict/tta_views.ts";
import type { RobustnessReport } from "../robustness/robustness_report.ts";
import { worstPerturbations } from "../robustness/robustness_report.ts";
import { type Datasheet, DATASHEET_QUESTIONS } from "./datasheet.ts";

/** A metric in the toolkit's form: values as text, interval bounds when there is one. */
export interface CardMetric {
  type: string;
  value: string;
  slice: string;
  confidence_interval?: { lower_bound: string; upper_bound: string };
}

/** The model card, field names as the Model Card Toolkit writes them. */
export interface ModelCard {
  schema_version: "0.0.2";
  model_details: {
    name: string;
    overview: string;
    version: { name: string; date: string; diff: string };
    owners: { name: string; contact: string }[];
    licenses: { custom_text: string }[];
    references: { reference: string }[];
    citations: { style: string; citation: string }[];
    path: string;
  };
  model_parameters: {
    model_architecture: string;
    data: { name: string; link: string; sensitive: { sensitive_data: string[] }; description: string }[];
    input_format: string;
    output_format: string;
  };
  quantitative_analysis: {
    performance_metrics: CardMetric[];
    graphics: { description: string; collection: { name: string; image: string }[] };
  };
  considerations: {
    users: { description: string }[];
    use_cases: { description: string }[];
    limitations: { description: string }[];
    tradeoffs: { description: string }[];
    ethical_considerations: { name: string; mitigation_strategy: string }[];
  };
  /** Not a toolkit field: uses the model must not be put to (the markdown shows them as their own section). */
  out_of_scope_uses: { description: string }[];
  /** Not a toolkit field: the facts the card was built from, and what was missing. */
  sources: { files: string[]; missing: string[] };
}

/** What a card is built from: the run's files, parsed. */
export interface CardFacts {
  runId: string;
  runDir: string;
  config: {
    name: string;
    seed: number;
    notes?: string;
    dataset: {
      classes: string[];
      size: number;
      channels: number;
      preprocessing: string;
      equalize?: boolean;
      evalBlurSigma?: number;
      augmentation?: Record<string, unknown>;
    };
    model: { family: string; [key: string]: unknown };
    /** Test-time augmentation of the run's own evaluation (absent in runs made before the field). */
    tta?: { horizontalFlip?: boolean; shifts?: readonly unknown[]; crops?: unknown } | null;
    training: {
      epochs: number;
      batchSize: number;
      optimizer: { name: string; learningRate?: number };
      /** The moving average the kept weights are (absent in runs made before the field). */
      weightAverage?: { decay: number } | null;
      /** Knowledge distillation's weight and temperature (absent in runs made before the field). */
      distill?: { weight: number; temperature: number } | null;
    };
  };
  manifest?: {
    status: string;
    code: { commit: string | null; dirty: boolean };
    backend: Record<string, unknown>;
    dataset: { root: string; fingerprint: string; synthetic: boolean; counts: Record<string, number> };
    startedAt: string;
    finishedAt: string | null;
    /** The run whose weights this one started from (`training.initFrom`; absent for a random initialisation). */
    initFrom?: { run: string; name: string; classifier: string };
    /** The teachers whose probabilities joined the labels in training (`training.distill`; absent without). */
    distill?: RunManifest["distill"];
  };
  metrics?: {
    synthetic: boolean;
    epochsTrained: number;
    keptEpoch: number;
    stopReason: string;
    /** Warnings the run recorded (e.g. predictions collapsed onto one class). */
    warnings?: string[];
    validation: SplitMetrics;
    test?: SplitMetrics;
  };
  /** The run's evaluations by `fer eval` (evaluations.json), oldest first; absent when it has none. */
  evaluations?: SavedDatasetEvaluation[];
  /** Number of weights, from model.json; null when there is no model. */
  parameters: number | null;
  robustness?: RobustnessReport;
  fairness?: FairnessReport;
  datasheet?: Datasheet;
  /** Plot files present in plots/, relative to the run folder. */
  plots: string[];
}

const f3 = (v: number) => v.toFixed(3);

/**
 * Builds the card. Every number in it is read from `facts`; a missing report
 * is said to be missing, never filled in.
 *
 * @param facts The run's parsed files.
 * @returns The card.
 * @example
 * ```ts
 * const card = buildModelCard(facts);
 * console.assert(card.model_details.version.name === facts.runId);
 * ```
 */
export function buildModelCard(facts: CardFacts): ModelCard {
  const { config, manifest, metrics } = facts;
  const synthetic = manifest?.dataset.synthetic ?? metrics?.synthetic ?? false;
  const classes = config.dataset.classes;
  const files = [
    "config.json",
    manifest && "manifest.json",
    metrics && "metrics.json",
    facts.evaluations && "evaluations.json",
    facts.robustness && "robustness.json",
    facts.fairness && "fairness.json",
  ]
    .filter((x): x is string => Boolean(x));
  const missing = [
    !manifest && "manifest.json",
    !metrics && "metrics.json (no evaluation: the run did not finish)",
    facts.parameters === null && "model/ (no saved model)",
    !facts.robustness && "robustness.json (run: deno task fer robustness " + facts.runId + ")",
    !facts.fairness && "fairness.json (run: deno task fer fairness " + facts.runId + " --groups FILE)",
    !facts.datasheet && "a datasheet of the training data (run: deno task fer data datasheet <root>)",
  ].filter((x): x is string => Boolean(x));
  const dataName = facts.datasheet?.name ?? manifest?.dataset.root ?? "the configured dataset";
  const pretrained = isPretrained(config);
  const overview = [
    `A ${modelKind(config)}${facts.parameters !== null ? ` (${facts.parameters.toLocaleString("en-US")} weights)` : ""}`,
    `that assigns one of ${classes.length} facial-expression labels (${classes.join(", ")})`,
    `to a ${config.dataset.size}x${config.dataset.size} ${config.dataset.channels === 1 ? "grayscale" : "colour"} face crop,`,
    pretrained
      ? `packaged pretrained and evaluated as it is: not trained here; it was evaluated on ${synthetic ? "SYNTHETIC drawn faces" : dataName}.`
      : `trained by the FER Workbench on ${synthetic ? "SYNTHETIC drawn faces (it says nothing about real faces)" : dataName}.`,
    config.notes ? `Config notes: ${config.notes}` : "",
    metrics ? `Validation accuracy ${f3(metrics.validation.accuracy)} [${f3(metrics.validation.accuracyInterval.low)}, ${f3(metrics.validation.accuracyInterval.high)}].` : "It has no evaluation yet.",
  ].join(" ");
  return {
    schema_version: "0.0.2",
    model_details: {
      name: config.name,
      overview,
      version: {
        name: facts.runId,
        date: manifest?.finishedAt ?? manifest?.startedAt ?? "unknown",
        diff: manifest ? `git ${manifest.code.commit ?? "unknown"}${manifest.code.dirty ? " with uncommitted changes" : ""}` : "unknown",
      },
      owners: [{ name: "Whoever made run " + facts.runId, contact: "not recorded in the run folder" }],
      licenses: [{
        custom_text: pretrained
          ? `The weights are the ${String(config.model.backbone)} package's: its licence applies; the evaluation data's terms: ${answered(facts, "distribution", "license") ?? "not recorded (no datasheet answer)"}`
          : `The weights inherit the training data's terms: ${answered(facts, "distribution", "license") ?? "not recorded (no datasheet answer)"}`,
      }],
      references: [{ reference: "Mitchell et al., Model Cards for Model Reporting, FAT* 2019" }, { reference: "Hendrycks and Dietterich, Benchmarking Neural Network Robustness to Common Corruptions and Perturbations, ICLR 2019" }],
      citations: [{ style: "text", citation: "Goodfellow et al., Challenges in Representation Learning: A report on three machine learning contests, 2013 (FER-2013)" }],
      path: facts.runDir,
    },
    model_parameters: {
      model_architecture: architecture(facts),
      data: dataEntries(facts, synthetic),
      input_format: `${config.dataset.size}x${config.dataset.size}x${config.dataset.channels} face crop, gray levels 0-255` +
        // A model trained on equalised faces sees other inputs than a user would pass it unequalised.
        (config.dataset.equalize ? ", histogram-equalised after decoding (equalise every input the same way)" : "") +
        `, preprocessing ${config.dataset.preprocessing}` +
        (config.dataset.evalBlurSigma ? `, blurred with sigma ${config.dataset.evalBlurSigma} at evaluation` : "") +
        // The reported figures average views; a user who runs the model on single images should know.
        (config.tta ? `; the reported figures average the probabilities over test-time augmented views (${ttaText(config.tta)}), one view alone scores differently, as fer eval <run> <dataset> --tta none measures` : ""),
      output_format: `${classes.length} probabilities, one per label in the order ${classes.join(", ")} (softmax; the arg-max is the prediction)`,
    },
    quantitative_analysis: {
      performance_metrics: performanceMetrics(facts),
      graphics: {
        description: "Plots in the run folder's plots/",
        collection: facts.plots.map((path) => ({ name: path.replace(/^plots\//, "").replace(/\.(png|html|svg)$/, ""), image: path })),
      },
    },
    considerations: considerations(facts, synthetic),
    out_of_scope_uses: OUT_OF_SCOPE.map((description) => ({ description })),
    sources: { files, missing },
  };
}

const OUT_OF_SCOPE = [
  "Any decision about a person: employment or hiring, policing or surveillance, insurance, credit, education, border control, or access to services",
  "Inferring what someone feels, their mental health, honesty or intentions: the labels describe visible facial expressions as annotated by others, not inner emotional states",
  "Identifying or tracking people",
  "Use on people who have not agreed to have their face analysed",
  "Populations, image sources or conditions the evaluation did not cover (see the limitations), without a new evaluation",
];

/** A transfer run in `pretrained` mode: a packaged classifier evaluated as it is. */
function isPretrained(config: CardFacts["config"]): boolean {
  return config.model.family === "transfer" && config.model.mode === "pretrained";
}

function modelKind(config: CardFacts["config"]): string {
  return config.model.family === "transfer"
    ? `transfer-learning classifier on the ${String(config.model.backbone)} backbone (mode ${String(config.model.mode)})`
    : `${config.model.family} image classifier`;
}

function architecture(facts: CardFacts): string {
  const { config, metrics } = facts;
  if (isPretrained(config)) {
    return [
      `transfer, backbone ${String(config.model.backbone)}, mode pretrained: the packaged classifier as it is, outputs restricted to the run's classes`,
      facts.parameters !== null ? `${facts.parameters.toLocaleString("en-US")} weights` : "no saved model",
      "not trained on this dataset",
      `backend ${String(facts.manifest?.backend.name ?? "unknown")}`,
    ].join("; ");
  }
  const widths = Object.entries(config.model).filter(([k]) => k !== "family").map(([k, v]) => `${k} ${JSON.stringify(v)}`).join(", ");
  const augmentation = Object.entries(config.dataset.augmentation ?? {})
    .filter(([, v]) => v !== 0 && v !== false && v !== null)
    .map(([k, v]) => `${k} ${JSON.stringify(v)}`);
  return [
    `${config.model.family}${widths ? ` (${widths})` : " (the family's default widths)"}`,
    facts.parameters !== null ? `${facts.parameters.toLocaleString("en-US")} weights` : "no saved model",
    `${config.training.optimizer.name}${config.training.optimizer.learningRate ? ` lr ${config.training.optimizer.learningRate}` : ""}, batch ${config.training.batchSize}`,
    metrics
      ? `${metrics.epochsTrained} of ${config.training.epochs} epochs trained (${metrics.stopReason}), ${keptWeights(config.training.weightAverage)} of epoch ${metrics.keptEpoch} kept`
      : "not evaluated",
    augmentation.length ? `augmentation: ${augmentation.join(", ")}` : "no augmentation",
    facts.manifest?.initFrom ? `started from the weights of run ${facts.manifest.initFrom.run} (${facts.manifest.initFrom.name}; classifier ${facts.manifest.initFrom.classifier.replace("_", " ")})` : null,
    facts.manifest?.distill && config.training.distill ? distillText(facts.manifest.distill, config.training.distill) : null,
    `seed ${config.seed}${facts.manifest ? `, backend ${String(facts.manifest.backend.name ?? "unknown")}` : ""}`,
  ].filter((part) => part !== null).join("; ");
}

/** What the saved weights are: the raw ones, or the moving average `training.weightAverage` kept. */
function keptWeights(average: { decay: number } | null | undefined): string {
  return average ? `the moving average of the weights (decay ${average.decay})` : "weights";
}

function dataEntries(facts: CardFacts, synthetic: boolean): ModelCard["model_parameters"]["data"] {
  const counts = facts.manifest?.dataset.counts ?? {};
  const consent = facts.datasheet ? answered(facts, "collection", "consent") : null;
  const sensitive = synthetic ? [] : [`Faces of real people (biometric data); consent: ${consent ?? "not recorded"}`];
  const link = facts.manifest?.dataset.root ?? "unknown";
  const sheet = facts.datasheet;
  const leakage = sheet?.sections.composition.find((e) => e.question.startsWith("Exact duplicates across splits"))?.answer;
  const noise = sheet?.sections.composition.find((e) => e.question.startsWith("The same image under two labels"))?.answer;
  const pretrained = isPretrained(facts.config);
  const init = facts.manifest?.initFrom;
  // A model started from another run's weights learned from that run's training images too.
  const source = init
    ? [{
      name: `pretraining: the training images of run ${init.run} (${init.name})`,
      link: init.run,
      sensitive: { sensitive_data: sensitive },
      description: `This model's weights started from that run's (training.initFrom), so what it learned from includes that run's train split; its card (fer card ${init.run}) describes it`,
    }]
    : [];
  // A distilled model learned from its teachers' outputs, and so from what they were trained on.
  const teachers = (facts.manifest?.distill?.teachers ?? []).map((teacher) => ({
    name: `teacher: run ${teacher.run} (${teacher.name})`,
    link: teacher.run,
    sensitive: { sensitive_data: sensitive },
    description: `This model's training targets included that run's probabilities on its training images (training.distill), so what it learned ` +
      `reflects that run's own training data; its card (fer card ${teacher.run}) describes it`,
  }));
  return [...source, ...teachers, ...["train", "validation", "test"].filter((split) => counts[split] !== undefined).map((split) => ({
    name: `${split} (${counts[split]} images)${pretrained && split === "train" ? ": not used (pretrained model; its own training data is its authors')" : ""}`,
    link,
    sensitive: { sensitive_data: sensitive },
    description: [
      `Fingerprint ${facts.manifest?.dataset.fingerprint.slice(0, 12) ?? "unknown"}`,
      synthetic ? "SYNTHETIC faces" : null,
      split === "train" && sheet ? `Datasheet: ${sheet.name}; exact duplicates across splits: ${leakage}; same image under two labels: ${noise}` : null,
    ].filter(Boolean).join(". "),
  }))];
}

function performanceMetrics(facts: CardFacts): CardMetric[] {
  const out: CardMetric[] = [];
  const interval = (low: number, high: number) => ({ lower_bound: f3(low), upper_bound: f3(high) });
  for (const split of ["validation", "test"] as const) {
    const m = facts.metrics?.[split];
    if (!m) continue;
    out.push({ type: "accuracy (Wilson 95% CI)", value: f3(m.accuracy), slice: `${split} (n=${m.count})`, confidence_interval: interval(m.accuracyInterval.low, m.accuracyInterval.high) });
    out.push({ type: "macro-F1 (bootstrap 95% CI)", value: f3(m.macroF1), slice: `${split} (n=${m.count})`, confidence_interval: interval(m.macroF1Interval.low, m.macroF1Interval.high) });
    out.push({ type: "expected calibration error (15 bins)", value: f3(m.expectedCalibrationError), slice: split });
    for (const [name, scores] of Object.entries(m.perClass)) {
      out.push({ type: "recall", value: f3(scores.recall), slice: `${split}, class ${name} (n=${scores.support})` });
    }
    if (m.leakFree) {
      out.push({
        type: "accuracy without images copied in train (leak-free, Wilson 95% CI)",
        value: f3(m.leakFree.accuracy),
        slice: `${split} (n=${m.leakFree.count}, ${m.leakFree.excluded} leaked images left out)`,
        confidence_interval: interval(m.leakFree.accuracyInterval.low, m.leakFree.accuracyInterval.high),
      });
    }
  }
  for (const e of facts.evaluations ?? []) {
    const own = isOwnDataset(facts, e);
    const settings = describeEvaluationSettings(e);
    for (const [split, m] of Object.entries(e.splits)) {
      const notes = [
        `n=${m.count}`,
        // fer eval's train split of the run's own dataset holds the images the model learned from (unless it was packaged pretrained).
        own ? (split === "train" && !isPretrained(facts.config) ? "own dataset, includes its training images" : "own dataset") : "",
        e.synthetic ? "SYNTHETIC" : "",
        settings,
      ].filter(Boolean);
      out.push({
        type: "accuracy (Wilson 95% CI)",
        value: f3(m.accuracy),
        slice: `${e.dataset} ${split} (${notes.join(", ")})`,
        confidence_interval: interval(m.accuracyInterval.low, m.accuracyInterval.high),
      });
    }
  }
  const r = facts.robustness;
  if (r) {
    out.push({ type: "mean accuracy under perturbations (22 perturbations x 5 severities)".replace("22", String(r.suite.length)), value: f3(r.meanCorruptionAccuracy), slice: `${r.split} (n=${r.images})` });
    out.push({ type: "relative robustness (perturbed / clean accuracy)", value: f3(r.relativeRobustness), slice: r.split });
    for (const family of r.perFamily) out.push({ type: "mean accuracy under perturbations", value: f3(family.meanAccuracy), slice: `${r.split}, family ${family.family}` });
    if (r.baseline) out.push({ type: `mCE relative to ${r.baseline.runId}`, value: f3(r.baseline.mCE), slice: r.split });
  }
  const fair = facts.fairness;
  if (fair) {
    for (const attribute of fair.perAttribute) {
      for (const g of attribute.groups) {
        out.push({
          type: "accuracy (Wilson 95% CI)",
          value: f3(g.accuracy),
          slice: `${fair.split}, ${attribute.attribute} = ${g.group} (n=${g.count}${g.tooSmall ? ", too small to judge" : ""})`,
          confidence_interval: interval(g.accuracyInterval.low, g.accuracyInterval.high),
        });
      }
      if (attribute.gaps.accuracyDifference !== null) {
        out.push({ type: "largest accuracy gap between groups", value: f3(attribute.gaps.accuracyDifference), slice: `${fair.split}, ${attribute.attribute} (${attribute.gaps.best} vs ${attribute.gaps.worst})` });
        const [worstClass, odds] = Object.entries(attribute.gaps.equalisedOdds).sort((a, b) => (b[1].difference ?? -1) - (a[1].difference ?? -1))[0] ?? [];
        if (odds?.difference != null) {
          out.push({ type: "largest equalised-odds difference (one-vs-rest)", value: f3(odds.difference), slice: `${fair.split}, ${attribute.attribute}, class ${worstClass}` });
        }
      }
    }
  }
  return out;
}

function considerations(facts: CardFacts, synthetic: boolean): ModelCard["considerations"] {
  const limitations: string[] = [];
  const m = facts.metrics;
  if (synthetic) limitations.push("Trained and evaluated on SYNTHETIC drawn faces: no figure in this card says anything about real faces");
  if (m) {
    const v = m.validation;
    limitations.push(
      `Validation accuracy is ${f3(v.accuracy)} [${f3(v.accuracyInterval.low)}, ${f3(v.accuracyInterval.high)}]: roughly ${Math.round((1 - v.accuracy) * 100)} of 100 faces get a wrong label`,
    );
    const pair = mostConfused(v, facts.config.dataset.classes);
    if (pair) limitations.push(`The most frequent confusion on validation: ${pair.from} read as ${pair.to} (${(pair.share * 100).toFixed(1)} % of ${pair.from} images)`);
    if (m.test && m.test.count < 500) {
      limitations.push(`The test split has only ${m.test.count} images: its interval is [${f3(m.test.accuracyInterval.low)}, ${f3(m.test.accuracyInterval.high)}], too wide to rank close models`);
    }
    if (v.collapsedToOneClass) limitations.push("Predictions collapsed onto one class on validation: the model is broken for this input pipeline");
    for (const warning of m.warnings ?? []) limitations.push(`Run warning: ${warning}`);
    if (v.leakFree && v.leakFree.excluded > 0) {
      limitations.push(`${v.leakFree.excluded} validation images have an exact copy in train; without them accuracy is ${f3(v.leakFree.accuracy)} (vs ${f3(v.accuracy)})`);
    }
  } else {
    limitations.push("The run has no metrics.json: it was not evaluated, so nothing is known about its accuracy");
  }
  if (facts.robustness) {
    const worst = worstPerturbations(facts.robustness, 3).map((p) => `${p.perturbation} (-${f3(p.accuracyDrop)})`).join(", ");
    limitations.push(`Under perturbations accuracy falls from ${f3(facts.robustness.clean.accuracy)} to ${f3(facts.robustness.meanCorruptionAccuracy)} on average; the costliest: ${worst}`);
  } else {
    limitations.push("Robustness to lighting, image quality, occlusion and pose was not measured");
  }
  if (facts.fairness) {
    for (const note of facts.fairness.notes) limitations.push(note);
  } else {
    limitations.push(
      "Performance across groups of people (age, gender, skin tone, culture) was not measured: no groups file was evaluated with fer fairness",
    );
  }
  limitations.push(evaluatedDataLimitation(facts));
  const tradeoffs: string[] = [];
  if (m) {
    tradeoffs.push(
      `Expected calibration error is ${f3(m.validation.expectedCalibrationError)} on validation (0 would mean a predicted probability of p is right p of the time); read probabilities as scores, not certainties`,
    );
  }
  tradeoffs.push("Arg-max predictions always name a label; there is no reject option for faces that show none of the labels or are not faces");
  return {
    users: [
      { description: "Researchers and students studying facial-expression recognition, robustness and bias" },
      { description: "Developers prototyping expression-aware features who will re-evaluate on their own data and users" },
    ],
    use_cases: [
      { description: "Benchmarking and comparing models on the workbench's datasets" },
      { description: "Teaching: how models read expressions, where they fail, how to report it" },
      { description: "A baseline for robustness and fairness studies" },
    ],
    limitations: limitations.map((description) => ({ description })),
    tradeoffs: tradeoffs.map((description) => ({ description })),
    ethical_considerations: [
      {
        name: "Expressions are not emotions: a smile is not happiness, and expression norms differ between cultures and people (including many autistic and disabled people)",
        mitigation_strategy: "Report outputs as expression labels; never as what a person feels",
      },
      {
        name: `Consent and privacy: faces are biometric data; consent of the people in the ${isPretrained(facts.config) ? "evaluation" : "training"} images: ${
          synthetic ? "none needed (synthetic faces)" : (answered(facts, "collection", "consent") ?? "not recorded (no datasheet answer)").replace(/\.$/, "")
        }${isPretrained(facts.config) ? "; its training images are its authors' and not recorded here" : ""}`,
        mitigation_strategy: "Research use only; do not run the model on people who have not agreed to it; do not store faces",
      },
      {
        name: "Unmeasured bias: error rates may differ by age, gender, skin tone or culture, and the data cannot show it",
        mitigation_strategy: "Measure before any use with people: deno task fer fairness with groups from a consented dataset that records them",
      },
      {
        name: "Misuse for surveillance or decisions about people",
        mitigation_strategy: "See the out-of-scope uses; the card must travel with the weights",
      },
    ],
  };
}

/** True when `fer eval` evaluated the run on the dataset it was trained on (same fingerprint). */
function isOwnDataset(facts: CardFacts, evaluation: SavedDatasetEvaluation): boolean {
  const trainedOn = facts.manifest?.dataset.fingerprint ?? "";
  return trainedOn !== "" && evaluation.fingerprint === trainedOn;
}

/** What images the card's figures cover: the training dataset's, and each other dataset `fer eval` used, with how its faces were found. */
function evaluatedDataLimitation(facts: CardFacts): string {
  const size = `${facts.config.dataset.size}x${facts.config.dataset.size}`;
  const others = new Map<string, { name: string; synthetic: boolean; detectorInputs: Set<number> }>();
  for (const e of facts.evaluations ?? []) {
    if (isOwnDataset(facts, e)) continue;
    const other = others.get(e.fingerprint) ?? { name: e.dataset, synthetic: e.synthetic, detectorInputs: new Set<number>() };
    if (e.detectorInputSize) other.detectorInputs.add(e.detectorInputSize);
    others.set(e.fingerprint, other);
  }
  const rest = "other crops, cameras, face detectors and video were not";
  if (others.size === 0) return `Only ${size} face crops from the datasets above were evaluated; ${rest}`;
  const names = [...others.values()].map(({ name, synthetic, detectorInputs }) => {
    const notes = [
      synthetic ? "SYNTHETIC" : "",
      detectorInputs.size > 0
        ? `faces found in uncropped photos by fer detect's face detector, input ${[...detectorInputs].sort((a, b) => a - b).join(" and ")}`
        : "",
    ].filter(Boolean);
    return notes.length ? `${name} (${notes.join("; ")})` : name;
  });
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
  return `Only ${size} face crops were evaluated: from the datasets above, and from ${list}; ${rest}`;
}

function answered(facts: CardFacts, section: keyof Datasheet["sections"], key: string): string | null {
  const question = DATASHEET_QUESTIONS[section]?.[key];
  const entry = facts.datasheet?.sections[section].find((e) => e.question === question);
  return entry && entry.source === "answered" ? entry.answer : null;
}

function mostConfused(m: SplitMetrics, classes: readonly string[]): { from: string; to: string; share: number } | null {
  let best: { from: string; to: string; share: number } | null = null;
  m.confusionNormalized.forEach((row, i) =>
    row.forEach((share, j) => {
      if (i !== j && share > (best?.share ?? 0)) best = { from: classes[i], to: classes[j], share };
    })
  );
  return best;
}
