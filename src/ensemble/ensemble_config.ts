/**
 * The ensemble config: its zod schema, its types and `parseEnsembleConfig`,
 * the only way from JSON (or a notebook object) to an `EnsembleConfig`. Its
 * output, defaults filled in, is what the ensemble run's config.json stores.
 *
 * @module
 */
import { z } from "zod";
import { BACKEND_REQUESTS } from "../backend/backend_info.ts";
import { formatConfigIssues } from "../core/format_config_issues.ts";
import { type RunConfig, runConfigSchema } from "../experiment/run_config.ts";
import { COMBINERS } from "../experiment/run_metrics.ts";
import { ttaConfigSchema, type TtaConfig } from "../predict/tta_config.ts";

const memberSchema = z.strictObject({
  /** Id of a finished run in the results folder. */
  run: z.string().min(1).optional(),
  /** A run config to train first (a path relative to the project, or the config itself); a run with the same resolved config is reused. */
  config: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).optional(),
  /** Replaces the ensemble's `tta` for this member. */
  tta: ttaConfigSchema.nullable().optional(),
}).superRefine((member, ctx) => {
  if ((member.run === undefined) === (member.config === undefined)) {
    ctx.addIssue({ code: "custom", message: 'give exactly one of "run" (a run id) or "config" (a config path or object)' });
  }
});

const fittingSchema = z.strictObject({
  /** Folds of the cross-validation on validation (weighted soft vote, stacking, log-linear pool). */
  folds: z.number().int().min(2).max(50).default(5),
  /** L2 coefficient of the stacking meta-learner's weights, and of the log-linear pool's member weights. */
  l2: z.number().gt(0).default(1e-3),
  /** What the stacking meta-learner sees of each member; the log-linear pool is a function of log-probabilities by definition. */
  features: z.enum(["probabilities", "log_probabilities"]).default("log_probabilities"),
});

const ensembleDatasetSchema = z.strictObject({
  /** A dataset folder (relative to the project), `auto` or `auto:<name>`, as a run config's `dataset.root`. */
  root: z.string().min(1),
  /** The ensemble's classes, in label order: each member's outputs for them are kept and renormalised. */
  classes: z.array(z.string().min(1)).min(2),
});

/** The schema of an ensemble config (members are checked further by {@linkcode parseEnsembleConfig}). */
export const ensembleConfigSchema = z.strictObject({
  /** Marks the file as an ensemble (`fer run` dispatches on it). */
  kind: z.literal("ensemble"),
  /** Short name; goes into the run id. */
  name: z.string().min(1).max(60),
  /** Seeds the cross-validation folds and the bootstrap intervals. */
  seed: z.number().int().min(0).max(0xffffffff).default(42),
  backend: z.enum(BACKEND_REQUESTS).default("auto"),
  /** The member runs, or configs to train first. */
  members: z.array(memberSchema).min(1),
  combiner: z.enum(COMBINERS).default("soft_vote"),
  fitting: fittingSchema.default(fittingSchema.parse({})),
  /**
   * Where the combiner is fitted and the ensemble scored. Null: the members' own validation and test images,
   * which they must share (same data, same classes). Given: every member predicts this dataset's validation
   * and test images, its outputs restricted to `classes` (a model trained on FER-2013's seven classes in an
   * ensemble for the four), as `fer eval --classes` restricts a run.
   */
  dataset: ensembleDatasetSchema.nullable().default(null),
  /** Test-time augmentation for every member; null for none. */
  tta: ttaConfigSchema.nullable().default(null),
  /** Free text recorded with the run. */
  notes: z.string().default(""),
}).superRefine((config, ctx) => {
  // The default (log-probabilities) is what every combiner but stacking works on anyway; asking for raw
  // probabilities elsewhere would be silently ignored.
  if (config.fitting.features === "probabilities" && config.combiner !== "stacking") {
    ctx.addIssue({
      code: "custom",
      path: ["fitting", "features"],
      message: `"probabilities" is what the stacking meta-learner sees; the ${config.combiner} combiner does not read it: ` +
        'remove fitting.features, or set "combiner": "stacking"',
    });
  }
});

/** One member of a resolved ensemble config. */
export type EnsembleMemberSpec =
  | { run: string; tta?: TtaConfig | null }
  | { config: string | RunConfig; tta?: TtaConfig | null };

/** A resolved ensemble config: every default filled in, inline member configs resolved. */
export type EnsembleConfig = Omit<z.infer<typeof ensembleConfigSchema>, "members"> & { members: EnsembleMemberSpec[] };

/** The `dataset` section of {@linkcode EnsembleConfig}, when given. */
export type EnsembleDataset = z.infer<typeof ensembleDatasetSchema>;

/** The `fitting` section of {@linkcode EnsembleConfig}. */
export type EnsembleFitting = EnsembleConfig["fitting"];

/**
 * Validates an ensemble config and fills in its defaults; an inline member
 * config is validated as a run config, its messages naming
 * `members.<i>.config.<field>`.
 *
 * @param input Parsed JSON or an object from a notebook.
 * @param source Where it came from, for messages (a file path).
 * @returns The resolved config.
 * @throws {ConfigError} Naming each bad field, what was found and what is allowed.
 * @example
 * ```ts
 * const config = parseEnsembleConfig({ kind: "ensemble", name: "vote", members: [{ run: "a" }, { run: "b" }] });
 * console.assert(config.combiner === "soft_vote" && config.tta === null && config.fitting.folds === 5);
 * ```
 */
export function parseEnsembleConfig(input: unknown, source = "config"): EnsembleConfig {
  const result = ensembleConfigSchema.safeParse(input);
  if (!result.success) throw formatConfigIssues(result.error.issues, source);
  const issues: z.core.$ZodIssue[] = [];
  const members = result.data.members.map((member, i): EnsembleMemberSpec => {
    const tta = member.tta === undefined ? {} : { tta: member.tta };
    if (member.run !== undefined) return { run: member.run, ...tta };
    if (typeof member.config === "string") return { config: member.config, ...tta };
    const parsed = runConfigSchema.safeParse(member.config);
    if (parsed.success) return { config: parsed.data, ...tta };
    issues.push(...parsed.error.issues.map((issue) => ({ ...issue, path: ["members", i, "config", ...issue.path] })));
    return { config: "" };
  });
  if (issues.length > 0) throw formatConfigIssues(issues, source);
  return { ...result.data, members };
}
