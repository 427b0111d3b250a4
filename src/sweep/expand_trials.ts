/**
 * Turns a sweep config into its trials: every setting (explicit settings x
 * grid x random draws) once per seed, each a validated run config, or an
 * ensemble config when the base is one (a sweep over combiners, their
 * fitting, the views or the members).
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import { makeRng, type Rng } from "../core/seed.ts";
import { parseRunConfig, type RunConfig } from "../experiment/run_config.ts";
import { type EnsembleConfig, parseEnsembleConfig } from "../ensemble/ensemble_config.ts";
import type { ParameterSpec, SweepConfig } from "./sweep_config.ts";

/** What a trial runs: one model's run config, or an ensemble config (`fer run` takes either). */
export type TrialConfig = RunConfig | EnsembleConfig;

/**
 * Whether a trial's config is an ensemble's.
 *
 * @param config A trial's config.
 * @returns True for an ensemble config.
 * @example
 * ```ts
 * if (isEnsembleTrial(trial.config)) console.log(trial.config.combiner);
 * ```
 */
export function isEnsembleTrial(config: TrialConfig): config is EnsembleConfig {
  return (config as { kind?: unknown }).kind === "ensemble";
}

/** One trial: a setting of the parameters and a seed. */
export interface SweepTrial {
  /** `<setting>-seed<seed>`, e.g. `t002-seed1`; stable for a given spec (resume matches on it). */
  key: string;
  /** The setting's key, e.g. `t002`; all seeds of a setting share it. */
  setting: string;
  /** Dotted path -> value, in the order of the sweep config. */
  params: Record<string, unknown>;
  seed: number;
  /** The resolved config the trial runs (`name` is `<sweep>-<key>`): a run config, or an ensemble config when the base is one. */
  config: TrialConfig;
}

/** More trials than this is almost certainly a mistake in the spec. */
export const MAX_TRIALS = 5000;

/**
 * Expands a sweep into trials, ordered seed by seed (every setting with the
 * first seed, then with the second, ...), so early results cover all settings.
 *
 * Each trial's config is the base config, resolved (defaults filled in, so
 * `training.optimizer.learningRate` exists even when the base leaves the
 * optimizer out), with the setting's values written at their dotted paths
 * (missing parent objects are created), its `seed` and its `name` set, then
 * validated by `parseRunConfig`; a bad value is an error naming the trial and
 * the field. To switch a section's kind (the optimizer, the schedule), vary
 * the whole section: `"training.optimizer": { "choice": [{ "name": "sgd" }, { "name": "adam" }] }`.
 *
 * An ensemble base (`"kind": "ensemble"`) gives ensemble trials, validated by
 * `parseEnsembleConfig`: `combiner`, `fitting.l2`, `tta`, or a member's field
 * (`members.0.config.training.epochs`, for an inline member config). Its
 * `seed` seeds the combiner's folds and the bootstrap, not the members' training.
 *
 * @param sweep The resolved sweep config.
 * @param base The base run or ensemble config as JSON (not yet resolved).
 * @returns The trials.
 * @throws {ConfigError} When a path does not fit the base config, a trial config is invalid, or there are too many trials.
 * @example
 * ```ts
 * const sweep = parseSweepConfig({ kind: "sweep", name: "s", base: {}, parameters: { "training.epochs": { grid: [1, 2] } }, seeds: [1, 2] });
 * const trials = expandTrials(sweep, { name: "cnn", model: { family: "small_cnn" } });
 * console.assert(trials.length === 4 && trials[0].key === "t001-seed1" && trials[1].config.training.epochs === 2);
 * ```
 */
export function expandTrials(sweep: SweepConfig, base: Record<string, unknown>): SweepTrial[] {
  const ensemble = base.kind === "ensemble";
  if ("kind" in base && !ensemble) {
    throw new ConfigError(
      `The base config of sweep ${sweep.name} has "kind": ${JSON.stringify(base.kind)}; a sweep varies a run config (one model, no "kind") ` +
        'or an ensemble config ("kind": "ensemble")',
    );
  }
  const parse = (raw: unknown, source: string): TrialConfig => ensemble ? parseEnsembleConfig(raw, source) : parseRunConfig(raw, source);
  const resolvedBase = parse({ ...base, name: base.name ?? sweep.name }, `the base config of sweep ${sweep.name}`);
  const settings = expandSettings(sweep);
  const total = settings.length * sweep.seeds.length;
  if (total > MAX_TRIALS) {
    throw new ConfigError(`Sweep ${sweep.name} has ${settings.length} settings x ${sweep.seeds.length} seeds = ${total} trials; at most ${MAX_TRIALS} are allowed: shrink the grid or "samples"`);
  }
  const width = Math.max(3, String(settings.length).length);
  const trials: SweepTrial[] = [];
  for (const seed of sweep.seeds) {
    settings.forEach((params, i) => {
      const setting = `t${String(i + 1).padStart(width, "0")}`;
      const key = `${setting}-seed${seed}`;
      const raw: Record<string, unknown> = structuredClone(resolvedBase);
      for (const [path, value] of Object.entries(params)) setAtPath(raw, path, value, key);
      raw.seed = seed;
      raw.name = `${sweep.name}-${key}`.slice(0, 60);
      trials.push({ key, setting, params, seed, config: parse(raw, `sweep ${sweep.name}, trial ${key} (${describeParams(params)})`) });
    });
  }
  return trials;
}

/**
 * The settings of a sweep, before seeds: explicit `settings` x the grid's
 * cartesian product x `samples` random draws (for each grid point).
 *
 * @param sweep The resolved sweep config.
 * @returns One object (dotted path -> value) per setting; `[{}]` when nothing varies.
 * @example
 * ```ts
 * const sweep = parseSweepConfig({ kind: "sweep", name: "s", base: {}, parameters: { a: { grid: [1, 2] }, b: { choice: ["x"] } }, samples: 2 });
 * console.assert(expandSettings(sweep).length === 4);
 * ```
 */
export function expandSettings(sweep: SweepConfig): Record<string, unknown>[] {
  const grid = Object.entries(sweep.parameters).filter(([, spec]) => "grid" in spec) as [string, { grid: unknown[] }][];
  const random = Object.entries(sweep.parameters).filter(([, spec]) => !("grid" in spec));
  let settings: Record<string, unknown>[] = sweep.settings.length > 0 ? sweep.settings.map((s) => ({ ...s })) : [{}];
  for (const [path, spec] of grid) settings = settings.flatMap((s) => spec.grid.map((value) => ({ ...s, [path]: value })));
  if (random.length === 0) return settings;
  const rng = makeRng(sweep.samplerSeed);
  return settings.flatMap((s) =>
    Array.from({ length: sweep.samples ?? 1 }, () => ({ ...s, ...Object.fromEntries(random.map(([path, spec]) => [path, draw(spec, rng)])) }))
  );
}

/**
 * A setting as short text, `path=value` joined by spaces (numbers to 4 significant digits).
 *
 * @param params Dotted path -> value.
 * @returns The text; `(base config)` when nothing varies.
 * @example
 * ```ts
 * console.assert(describeParams({ "training.epochs": 2, "x": 0.000123456 }) === "training.epochs=2 x=0.0001235");
 * ```
 */
export function describeParams(params: Readonly<Record<string, unknown>>): string {
  const entries = Object.entries(params);
  if (entries.length === 0) return "(base config)";
  return entries.map(([path, value]) => `${path}=${typeof value === "number" ? String(Number(value.toPrecision(4))) : JSON.stringify(value)}`).join(" ");
}

function draw(spec: ParameterSpec, rng: Rng): unknown {
  if ("choice" in spec) return spec.choice[rng.int(spec.choice.length)];
  if ("uniform" in spec) return round(rng.uniform(spec.uniform[0], spec.uniform[1]));
  if ("logUniform" in spec) return round(Math.exp(rng.uniform(Math.log(spec.logUniform[0]), Math.log(spec.logUniform[1]))));
  throw new ConfigError(`Parameter spec ${JSON.stringify(spec)} is not drawn at random`);
}

/** Six significant digits: readable configs and CSVs, far finer than any effect a sweep can see. */
function round(value: number): number {
  return Number(value.toPrecision(6));
}

function setAtPath(target: Record<string, unknown>, path: string, value: unknown, trial: string): void {
  const parts = path.split(".");
  let node: unknown = target;
  for (let i = 0; i < parts.length - 1; i++) {
    const container = node as Record<string, unknown>;
    if (container[parts[i]] === undefined) container[parts[i]] = /^[0-9]+$/.test(parts[i + 1]) ? [] : {};
    node = container[parts[i]];
    if (typeof node !== "object" || node === null) {
      throw new ConfigError(
        `Trial ${trial}: parameter ${path} goes through ${parts.slice(0, i + 1).join(".")}, which is ${JSON.stringify(node)} in the base config, not an object; fix the path`,
      );
    }
  }
  (node as Record<string, unknown>)[parts[parts.length - 1]] = structuredClone(value);
}
