/**
 * Turns a sweep config into its trials: every setting (explicit settings x
 * grid x random draws) once per seed, each a validated run config.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import { makeRng, type Rng } from "../core/seed.ts";
import { parseRunConfig, type RunConfig } from "../experiment/run_config.ts";
import type { ParameterSpec, SweepConfig } from "./sweep_config.ts";

/** One trial: a setting of the parameters and a seed. */
export interface SweepTrial {
  /** `<setting>-seed<seed>`, e.g. `t002-seed1`; stable for a given spec (resume matches on it). */
  key: string;
  /** The setting's key, e.g. `t002`; all seeds of a setting share it. */
  setting: string;
  /** Dotted path -> value, in the order of the sweep config. */
  params: Record<string, unknown>;
  seed: number;
  /** The resolved run config the trial runs (`name` is `<sweep>-<key>`). */
  config: RunConfig;
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
 * @param sweep The resolved sweep config.
 * @param base The base run config as JSON (not yet resolved).
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
  if ("kind" in base) {
    throw new ConfigError(`The base config of sweep ${sweep.name} has "kind": ${JSON.stringify(base.kind)}; a sweep varies a run config (one model), which has no "kind"`);
  }
  const resolvedBase = parseRunConfig({ ...base, name: base.name ?? sweep.name }, `the base config of sweep ${sweep.name}`);
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
      trials.push({ key, setting, params, seed, config: parseRunConfig(raw, `sweep ${sweep.name}, trial ${key} (${describeParams(params)})`) });
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
