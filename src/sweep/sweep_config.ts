/**
 * The sweep config (`"kind": "sweep"`): its zod schema, its types and
 * `parseSweepConfig`, the only way from JSON (or a notebook object) to a
 * `SweepConfig`. A sweep names a base run config and the parameters to vary
 * (dotted paths into that config) and the seeds every setting runs with.
 *
 * ```json
 * {
 *   "kind": "sweep", "name": "lr_width", "base": "experiments/small_cnn.json",
 *   "parameters": {
 *     "training.optimizer.learningRate": { "logUniform": [0.0003, 0.003] },
 *     "model.denseUnits": { "grid": [32, 64] }
 *   },
 *   "samples": 4, "seeds": [1, 2, 3]
 * }
 * ```
 *
 * @module
 */
import { z } from "zod";
import { ConfigError } from "../core/errors.ts";

/** The ways a parameter can vary; `grid` is crossed with everything else, the others are drawn `samples` times. */
export const PARAMETER_KINDS = ["grid", "choice", "uniform", "logUniform"] as const;

/** How one parameter varies. */
export type ParameterSpec =
  | { grid: unknown[] }
  | { choice: unknown[] }
  | { uniform: [number, number] }
  | { logUniform: [number, number] };

const PATH_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*|\.[0-9]+)*$/;
/** Fields a sweep sets itself: the seed comes from `seeds`, the name from the sweep and the trial. */
const RESERVED_PATHS = ["seed", "name"];

const parameterSchema = z.record(z.string(), z.unknown()).superRefine((spec, ctx) => {
  const keys = Object.keys(spec);
  if (keys.length !== 1 || !(PARAMETER_KINDS as readonly string[]).includes(keys[0])) {
    ctx.addIssue({
      code: "custom",
      message: `found ${keys.length ? keys.map((k) => `"${k}"`).join(", ") : "no field"}; give exactly one of ${
        PARAMETER_KINDS.map((k) => `"${k}"`).join(", ")
      }, e.g. { "grid": [0.001, 0.01] }`,
    });
    return;
  }
  const [kind] = keys;
  const value = spec[kind];
  if (kind === "grid" || kind === "choice") {
    if (!Array.isArray(value) || value.length === 0) {
      ctx.addIssue({ code: "custom", path: [kind], message: `found ${JSON.stringify(value)}; expected a non-empty list of values` });
    }
    return;
  }
  const pair = Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === "number" && Number.isFinite(v));
  if (!pair || value[0] >= value[1]) {
    ctx.addIssue({ code: "custom", path: [kind], message: `found ${JSON.stringify(value)}; expected [low, high] with low < high` });
  } else if (kind === "logUniform" && value[0] <= 0) {
    ctx.addIssue({ code: "custom", path: [kind], message: `found ${JSON.stringify(value)}; logUniform needs low > 0` });
  }
});

/** The schema of a sweep config. */
export const sweepConfigSchema = z.strictObject({
  /** Marks the file as a sweep (`fer sweep` reads it; `fer run` does not). */
  kind: z.literal("sweep"),
  /** Names the sweep folder (results/sweeps/<name>/) and prefixes every trial's run name. */
  name: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, "use 1 to 40 letters, digits, _ or -"),
  /** The run config every trial starts from: a path relative to the project root, or the config itself. */
  base: z.union([z.string().min(1), z.record(z.string(), z.unknown())]),
  /** Dotted paths into the base config (`training.optimizer.learningRate`) and how each varies. */
  parameters: z.record(z.string(), parameterSchema).default({}),
  /** An explicit list of settings (each: dotted path -> value), crossed with `parameters`. */
  settings: z.array(z.record(z.string(), z.unknown())).default([]),
  /** The trial budget of the random distributions (choice, uniform, logUniform): settings drawn per grid point. */
  samples: z.number().int().min(1).max(1000).optional(),
  /** Seeds the draws of the random distributions (not the trials: those use `seeds`). */
  samplerSeed: z.number().int().min(0).max(0xffffffff).default(0),
  /** Every setting runs once per seed; the summary gives mean and spread across them. */
  seeds: z.array(z.number().int().min(0).max(0xffffffff)).min(1).default([42]),
  /** Extra attempts for a failed trial, in this invocation and on a rerun. */
  retries: z.number().int().min(0).max(10).default(1),
  /** What one trial needs on a cluster (Ray's entrypoint_num_cpus / entrypoint_num_gpus). */
  resources: z.strictObject({
    cpus: z.number().min(0).default(1),
    gpus: z.number().min(0).default(0),
  }).default({ cpus: 1, gpus: 0 }),
  /** Free text recorded with the sweep. */
  notes: z.string().default(""),
}).superRefine((sweep, ctx) => {
  const paths = [...Object.keys(sweep.parameters), ...sweep.settings.flatMap((s) => Object.keys(s))];
  for (const path of new Set(paths)) {
    if (!PATH_PATTERN.test(path)) {
      ctx.addIssue({ code: "custom", path: ["parameters", path], message: `"${path}" is not a dotted path; write it like training.optimizer.learningRate` });
    } else if (RESERVED_PATHS.includes(path)) {
      ctx.addIssue({ code: "custom", path: ["parameters", path], message: `"${path}" is set by the sweep; use "seeds" for seeds and "name" for the name` });
    }
  }
  const random = Object.entries(sweep.parameters).filter(([, spec]) => !("grid" in spec)).map(([path]) => path);
  if (random.length > 0 && sweep.samples === undefined) {
    ctx.addIssue({ code: "custom", path: ["samples"], message: `missing; ${random.join(", ")} ${random.length > 1 ? "are" : "is"} drawn at random, so say how many settings to draw, e.g. "samples": 8` });
  }
  if (random.length === 0 && sweep.samples !== undefined) {
    ctx.addIssue({ code: "custom", path: ["samples"], message: `found ${sweep.samples} but no parameter is drawn at random (choice, uniform, logUniform); remove it or add one` });
  }
  if (new Set(sweep.seeds).size !== sweep.seeds.length) {
    ctx.addIssue({ code: "custom", path: ["seeds"], message: `found ${JSON.stringify(sweep.seeds)}; each seed once` });
  }
});

/** A resolved sweep config: every default filled in. */
export type SweepConfig = Omit<z.infer<typeof sweepConfigSchema>, "parameters"> & { parameters: Record<string, ParameterSpec> };

/**
 * Validates a sweep config and fills in its defaults. The base config and
 * the trial configs are validated later, by `expandTrials`.
 *
 * @param input Parsed JSON or an object from a notebook.
 * @param source Where it came from, for messages (a file path).
 * @returns The resolved config.
 * @throws {ConfigError} Naming each bad field, what was found and what is allowed.
 * @example
 * ```ts
 * const sweep = parseSweepConfig({ kind: "sweep", name: "s", base: "experiments/small_cnn.json",
 *   parameters: { "training.epochs": { grid: [1, 2] } } });
 * console.assert(sweep.seeds[0] === 42 && sweep.retries === 1);
 * ```
 */
export function parseSweepConfig(input: unknown, source = "config"): SweepConfig {
  const result = sweepConfigSchema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `${issue.path.length ? issue.path.join(".") : "(top level)"}: ${describe(issue)}`);
    throw new ConfigError(`Invalid sweep config in ${source}:\n  ${lines.join("\n  ")}`);
  }
  return result.data as SweepConfig;
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") return `unknown field ${issue.keys.map((k) => `"${k}"`).join(", ")}; remove it or check its spelling`;
  if (issue.code === "invalid_value") return `value not allowed; allowed: ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  return issue.message;
}
