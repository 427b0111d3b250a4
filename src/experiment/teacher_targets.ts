/**
 * Knowledge distillation's teachers (`training.distill`): trained runs whose
 * probabilities on each training image join the label in the training target
 * (Hinton, Vinyals and Dean 2015: an ensemble's soft outputs carry which
 * wrong classes an image resembles, which one-hot labels do not).
 *
 * The teachers' probabilities are computed once, before the first epoch, on
 * the training images as decoded (no augmentation): a flipped, shifted or
 * zoomed view of a face keeps its teacher row, as it keeps its label. They
 * are averaged with equal weights, never combined by weights fitted on
 * validation, so the validation split the run selects its epoch on stays
 * unseen by its targets. Each teacher's probabilities are kept in the
 * feature cache (`<cacheDir>/teachers`), keyed by its model files' digest
 * and the images, so runs that only change the weight, the temperature or the
 * seed score them once (a VGG teacher over 12 views takes minutes).
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import { makeRng } from "../core/seed.ts";
import type { ImageSet } from "../data/image_set.ts";
import { ttaViews } from "../predict/tta_views.ts";
import { experimentHash } from "./find_identical_run.ts";
import type { FeatureCache } from "../transfer/feature_cache.ts";
import type { RunConfig } from "./run_config.ts";
import type { RunContext } from "./run_context.ts";
import type { RunManifest } from "./run_manifest.ts";
import { runPath } from "./run_store.ts";
import { scoreCache } from "./score_cache.ts";
import { modelScorer, type ModelScorerOptions } from "./model_scorer.ts";
import { findSourceRun, resolveSourceRun, type SourceRun, type SourceTrainer } from "./source_run.ts";

/** Images predicted per batch when teachers score the training split. */
const TEACHER_BATCH_SIZE = 128;

/** What {@linkcode resolveTeachers} needs from its caller. */
export interface ResolveTeachersOptions {
  /** Trains a source config that has no completed run yet, or resumes its stopped run (see {@linkcode SourceTrainer}). */
  train: SourceTrainer;
  /** Experiment hashes of the runs waiting for this one (a cycle guard). @default [] */
  chain?: readonly string[];
}

/**
 * Why a teacher run cannot score this run's training images (empty when it
 * can): another input size, channel count or equalisation (the images are
 * decoded once, this run's way), or a class this run has and it lacks. Its
 * model and preprocessing may differ: it scores the images its own way.
 *
 * @param teacher The teacher run's config.
 * @param student The config that would learn from it.
 * @returns One phrase per difference.
 * @example
 * ```ts
 * const a = parseRunConfig({ name: "a", model: { family: "small_cnn" } });
 * console.assert(teacherMismatches(a, { ...a, dataset: { ...a.dataset, size: 64 } }).length === 1);
 * ```
 */
export function teacherMismatches(teacher: RunConfig, student: RunConfig): string[] {
  const found: string[] = [];
  for (const field of ["size", "channels", "equalize"] as const) {
    if (teacher.dataset[field] !== student.dataset[field]) {
      found.push(`its dataset.${field} is ${JSON.stringify(teacher.dataset[field])}, this config's ${JSON.stringify(student.dataset[field])}`);
    }
  }
  const missing = student.dataset.classes.filter((name) => !teacher.dataset.classes.includes(name));
  if (missing.length > 0) found.push(`it was trained without ${missing.join(", ")}`);
  return found;
}

/**
 * Finds every teacher of `config.training.distill`, in order, before this
 * run's folder exists: run ids are opened, config paths reuse an identical
 * earlier run or are trained first.
 *
 * @param config This run's config (distill set).
 * @param ctx Paths and logging; training a teacher config uses it too.
 * @param options How to train a teacher config, and the cycle guard.
 * @returns One source run per teacher.
 * @throws {ConfigError} For a repeated teacher, one that cannot score this run's images, or any
 *   error of {@linkcode resolveSourceRun} (unknown run, cycle, no saved model).
 * @example
 * ```ts
 * const teachers = await resolveTeachers(config, ctx, { train: (teacher) => runExperiment(teacher, ctx) });
 * ```
 */
export async function resolveTeachers(
  config: RunConfig,
  ctx: Pick<RunContext, "projectRoot" | "resultsRoot" | "log" | "signal">,
  options: ResolveTeachersOptions,
): Promise<SourceRun[]> {
  const distill = config.training.distill;
  if (distill === null) throw new ConfigError("resolveTeachers needs a config with training.distill set");
  const chain = [...(options.chain ?? []), experimentHash(config)];
  const teachers: SourceRun[] = [];
  for (const reference of distill.teachers) {
    const teacher = await resolveSourceRun(reference, ctx, {
      field: "training.distill.teachers",
      train: options.train,
      chain,
      readsViews: true,
      check: teacherCheck(config),
    });
    const repeated = teachers.find((earlier) => earlier.run.id === teacher.run.id);
    if (repeated) {
      throw new ConfigError(`training.distill.teachers names run ${teacher.run.id} twice (as ${reference}); name each teacher once`);
    }
    teachers.push(teacher);
  }
  return teachers;
}

/** The fit check of a teacher for `config` (resolveSourceRun's `check`): refuses one that cannot score its images. */
function teacherCheck(config: RunConfig): (sourceText: string, sourceConfig: RunConfig) => void {
  return (sourceText, sourceConfig) => {
    const mismatches = teacherMismatches(sourceConfig, config);
    if (mismatches.length > 0) {
      throw new ConfigError(
        `training.distill.teachers: ${sourceText} (${sourceConfig.name}) cannot score ${config.name}'s training images: ` +
          `${mismatches.join("; ")}. Name teachers trained on the same input size, channels and equalisation, with every class of this run`,
      );
    }
  };
}

/** What {@linkcode teacherTargets} returns. */
export interface TeacherTargets {
  /** One row of this run's class probabilities per training image, `count * classes` values, softened by the temperature. */
  rows: Float32Array;
  /** Share of training images whose label is the teachers' averaged top class (before softening). */
  agreement: number;
  /** The same share for each teacher alone, in order. */
  teacherAgreement: number[];
  /** Per teacher, in order: whether its probabilities were read from the cache or computed. */
  probabilities: ("cached" | "computed")[];
}

/**
 * Scores the training images with each teacher (over its config's `tta`
 * views), keeps each teacher's probabilities of this run's classes
 * (renormalised, so a seven-class teacher can teach four), averages them and
 * softens the average: `p^(1 / temperature)`, renormalised. A teacher's
 * probabilities are read from `options.cache` when an earlier run stored
 * them for the same model files, images and backend, and stored there when
 * computed.
 *
 * @param teachers From {@linkcode resolveTeachers}.
 * @param train This run's training images, decoded its way.
 * @param options This run's classes, the temperature, the cache folder (null: none) and what else
 *   determines the scores (the dataset fingerprint, the backend and its precision), a log (two lines per teacher) and
 *   each scoring teacher's progress.
 * @returns The target rows and how often teachers agree with the labels.
 * @example
 * ```ts
 * const { rows } = await teacherTargets(teachers, splits.train, { classes: config.dataset.classes, temperature: 1, log: console.log });
 * ```
 */
export async function teacherTargets(
  teachers: readonly SourceRun[],
  train: ImageSet,
  options: {
    classes: readonly string[];
    temperature: number;
    /** The cache folder (`<cacheDir>/teachers` holds the scores); null or absent: no cache. */
    cacheDir?: string | null;
    /** Everything besides the teacher and the images that changes its scores: dataset fingerprint, backend, precision. */
    scoredWith?: Record<string, unknown>;
    log: (line: string) => void;
    /**
     * Called when a teacher starts scoring (not for scores read from the cache), with its index: returns the callback
     * called after each batch with the images done and the total (see passProgress).
     */
    progress?: (teacher: number) => (done: number, total: number) => void;
    /** Stops the scoring after the view or batch it is in (a Ctrl-C): the signal's reason is thrown; teachers scored in full stay cached. */
    signal?: AbortSignal;
  },
): Promise<TeacherTargets> {
  const k = options.classes.length;
  const sum = new Float64Array(train.count * k);
  const teacherAgreement: number[] = [];
  const use: ("cached" | "computed")[] = [];
  const cache = scoreCache(options.cacheDir, "teachers");
  for (const [index, teacher] of teachers.entries()) {
    const started = performance.now();
    const views = ttaViews(teacher.config.tta).length;
    const columns = options.classes.map((name) => teacher.config.dataset.classes.indexOf(name));
    const scored = await teacherProbabilities(teacher, train, { ...options, cache, index, views });
    use.push(scored.cached ? "cached" : "computed");
    const own = new Float64Array(train.count * k);
    scored.rows.forEach((row, i) => {
      const picked = columns.map((column) => row[column]);
      const total = picked.reduce((a, b) => a + b, 0);
      // A row with no mass on this run's classes (only possible for a teacher with more classes) gives no opinion: uniform.
      picked.forEach((p, c) => own[i * k + c] = total > 0 ? p / total : 1 / k);
    });
    for (let j = 0; j < sum.length; j++) sum[j] += own[j];
    teacherAgreement.push(agreementWithLabels(own, train.labels, k));
    options.log(
      `Teacher ${teacher.run.id}: its top class is the label for ${(teacherAgreement.at(-1)! * 100).toFixed(1)}% of ${train.count} training images ` +
        `(${scored.cached ? "scores read from the cache; " : ""}${((performance.now() - started) / 1000).toFixed(0)} s)`,
    );
  }
  const mean = sum.map((value) => value / teachers.length);
  return {
    rows: softenRows(mean, k, options.temperature),
    agreement: agreementWithLabels(mean, train.labels, k),
    teacherAgreement,
    probabilities: use,
  };
}

/**
 * One teacher's probability rows (its own classes) on the training images:
 * from the cache when they are there, else predicted over its `tta` views
 * and stored (see score_cache.ts).
 */
async function teacherProbabilities(
  teacher: SourceRun,
  train: ImageSet,
  options: {
    index: number;
    views: number;
    cache: FeatureCache | null;
    scoredWith?: Record<string, unknown>;
    log: (line: string) => void;
    progress?: (teacher: number) => (done: number, total: number) => void;
    signal?: AbortSignal;
  },
): Promise<{ rows: Float32Array[]; cached: boolean }> {
  const name = `Teacher ${teacher.run.id}`;
  const scorer = modelScorer({ ...teacherScoring(teacher, options.cache, options.scoredWith), signal: options.signal, log: options.log });
  try {
    return await scorer.scores(train, {
      name,
      progress: () => {
        options.log(`${name} (${teacher.config.name}): scoring ${train.count} training images, ${options.views} view(s) each`);
        return options.progress?.(options.index);
      },
    });
  } finally {
    scorer.dispose();
  }
}

/** How a teacher's model scores the training images, and where its scores are kept: the same for its pass and its estimate. */
function teacherScoring(teacher: SourceRun, cache: FeatureCache | null, scoredWith: Record<string, unknown> | undefined): ModelScorerOptions {
  return {
    purpose: "teachers",
    modelDir: runPath(teacher.run, "model"),
    columns: teacher.config.dataset.classes.length,
    preprocessing: teacher.config.dataset.preprocessing,
    tta: teacher.config.tta,
    rng: makeRng(0),
    batchSize: TEACHER_BATCH_SIZE,
    cache,
    scoredWith: scoredWith ?? {},
  };
}

/** One teacher's share of the teachers' pass, as {@linkcode estimateTeacherPass} finds it. */
export interface TeacherPassPart {
  /** The teacher as the config names it (a run id or a config path). */
  reference: string;
  /** Its test-time views: each training image is predicted this many times. */
  views: number;
  /**
   * `cached`: its scores of these images are in the cache, no pass; `timed`: its model timed here on a sample
   * of the images; `estimated`: a teacher config trained first, from its own estimate's inference rate.
   */
  how: "cached" | "timed" | "estimated";
  seconds: number;
}

/**
 * How long the teachers' pass over the training images takes here, before a run's first epoch: per teacher,
 * nothing when its scores are cached, else its model timed over its views on a sample of the images (after one
 * untimed batch), scaled to all of them. A teacher config with no completed run yet is estimated from the
 * inference rate of its own estimate when the caller has one (`trainedFirst`), else named in `untimed`.
 *
 * @param config The distilled run's config.
 * @param train Its training images, decoded its way.
 * @param ctx Paths; `cacheDir` as the run's (null: no cache, so every teacher passes).
 * @param options What besides the teacher and images changes the scores (as the run's `scoredWith`), the estimates
 *   of teacher configs trained first, images to time (default 256) and the clock.
 * @returns Each teacher's part, their sum, and the teachers not timed.
 * @example
 * ```ts
 * const pass = await estimateTeacherPass(config, splits.train, ctx, { scoredWith: { dataset: fingerprint, ...backendFacts(backend) } });
 * ```
 */
export async function estimateTeacherPass(
  config: RunConfig,
  train: ImageSet,
  ctx: Pick<RunContext, "projectRoot" | "resultsRoot" | "cacheDir">,
  options: {
    scoredWith: Record<string, unknown>;
    /** Teacher configs trained first, by reference: their views and the inference rate their own estimate measured. */
    trainedFirst?: ReadonlyMap<string, { views: number; inferenceImagesPerSecond: number }>;
    sample?: number;
    clock?: () => number;
  },
): Promise<{ parts: TeacherPassPart[]; seconds: number; untimed: string[] }> {
  const clock = options.clock ?? (() => performance.now());
  const cache = scoreCache(ctx.cacheDir, "teachers");
  const parts: TeacherPassPart[] = [];
  const untimed: string[] = [];
  for (const reference of config.training.distill?.teachers ?? []) {
    const teacher = await findSourceRun(reference, { ...ctx, log: () => {} }, { field: "training.distill.teachers", check: teacherCheck(config), readsViews: true });
    if (teacher === undefined) {
      const estimated = options.trainedFirst?.get(reference);
      if (estimated === undefined) {
        untimed.push(reference);
        continue;
      }
      const { views, inferenceImagesPerSecond } = estimated;
      parts.push({ reference, views, how: "estimated", seconds: (train.count * views) / inferenceImagesPerSecond });
      continue;
    }
    const scorer = modelScorer(teacherScoring(teacher, cache, options.scoredWith));
    try {
      const { views, how, seconds } = await scorer.estimate(train, { sample: options.sample, clock });
      parts.push({ reference, views, how, seconds });
    } finally {
      scorer.dispose();
    }
  }
  return { parts, seconds: parts.reduce((sum, part) => sum + part.seconds, 0), untimed };
}

/**
 * Raises each probability to `1 / temperature` and renormalises each row: a
 * temperature above 1 flattens the rows (more weight on the wrong classes a
 * teacher finds likely), below 1 sharpens them, 1 leaves them as they are.
 *
 * @param rows Probability rows, `k` values each.
 * @param k Values per row.
 * @param temperature Greater than 0.
 * @returns New rows, float32.
 * @example
 * ```ts
 * const soft = softenRows(new Float64Array([0.8, 0.2]), 2, 2); // [2/3, 1/3]
 * ```
 */
export function softenRows(rows: ArrayLike<number>, k: number, temperature: number): Float32Array {
  const out = new Float32Array(rows.length);
  for (let start = 0; start < rows.length; start += k) {
    let total = 0;
    for (let c = 0; c < k; c++) total += out[start + c] = Math.pow(rows[start + c], 1 / temperature);
    for (let c = 0; c < k; c++) out[start + c] = total > 0 ? out[start + c] / total : 1 / k;
  }
  return out;
}

/**
 * One line saying what a distilled run learned from, for `fer show` and the
 * model card.
 *
 * @param recorded The manifest's `distill` (teachers and agreement).
 * @param settings The config's `training.distill` (weight and temperature).
 * @returns The line.
 * @example
 * ```ts
 * if (manifest.distill && config.training.distill) lines.push(distillText(manifest.distill, config.training.distill));
 * ```
 */
export function distillText(
  recorded: NonNullable<RunManifest["distill"]>,
  settings: { weight: number; temperature: number },
): string {
  const runs = recorded.teachers.map((teacher) => `${teacher.run} (${teacher.name})`).join(", ");
  return `distilled: its training targets blend the label with the averaged probabilities of ${recorded.teachers.length} teacher run(s) ` +
    `(weight ${settings.weight}, temperature ${settings.temperature}): ${runs}; their top class is the label for ` +
    `${(recorded.agreement * 100).toFixed(1)}% of the training images`;
}

function agreementWithLabels(rows: ArrayLike<number>, labels: ArrayLike<number>, k: number): number {
  if (labels.length === 0) return 0;
  let agree = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (rows[i * k + c] > rows[i * k + best]) best = c;
    if (best === labels[i]) agree++;
  }
  return agree / labels.length;
}
