/**
 * Config overrides, applied in one place: the CLI's `--backend`, `--precision`,
 * `--epochs`, `--seed` and `--init-from`, and a notebook's smoke mode, epochs and backend. They change
 * the config's JSON before it is validated, so a config is validated once
 * (by parseRunConfig or parseEnsembleConfig) with the overrides in it.
 *
 * @module
 */

/** What may be replaced. Every field is optional; a field left out keeps the config's value. */
export interface ConfigOverrides {
  /** Replaces `backend` (checked by the schema). @default the config's */
  backend?: string;
  /** Replaces `precision` (run configs; checked by the schema). @default the config's */
  precision?: string;
  /** Replaces `seed`. @default the config's */
  seed?: number;
  /** Replaces `training.epochs` (run configs). @default the config's */
  epochs?: number;
  /** Replaces `training.initFrom` (run configs): a run id or a run config's path. @default the config's */
  initFrom?: string;
  /** Replaces `dataset.limitPerSplit` (run configs). @default the config's */
  limitPerSplit?: { train: number; validation: number; test: number };
  /** Appended to `name`, e.g. `-smoke`. @default "" */
  nameSuffix?: string;
}

/**
 * Applies overrides to a config's JSON; the original is not changed.
 *
 * @param json A run or ensemble config as read from its file (not yet validated).
 * @param overrides The fields to replace.
 * @returns A new JSON object with the overrides in place (the input itself when it is not an object, for the schema to reject).
 * @example
 * ```ts
 * const json = applyConfigOverrides({ name: "a", training: { batchSize: 32 } }, { epochs: 1, nameSuffix: "-smoke" });
 * console.assert(json.name === "a-smoke" && (json.training as { epochs: number }).epochs === 1);
 * ```
 */
export function applyConfigOverrides(json: unknown, overrides: ConfigOverrides): Record<string, unknown> {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return json as Record<string, unknown>;
  const out: Record<string, unknown> = structuredClone(json as Record<string, unknown>);
  const section = (key: string): Record<string, unknown> => {
    const value = out[key];
    // A section left out takes its defaults; one of the wrong type is left for the schema to report.
    out[key] = typeof value === "object" && value !== null && !Array.isArray(value) ? { ...value } : value ?? {};
    return out[key] as Record<string, unknown>;
  };
  if (overrides.nameSuffix) out.name = `${out.name}${overrides.nameSuffix}`;
  if (overrides.backend !== undefined) out.backend = overrides.backend;
  if (overrides.precision !== undefined) out.precision = overrides.precision;
  if (overrides.seed !== undefined) out.seed = overrides.seed;
  if (overrides.epochs !== undefined) section("training").epochs = overrides.epochs;
  if (overrides.initFrom !== undefined) section("training").initFrom = overrides.initFrom;
  if (overrides.limitPerSplit !== undefined) section("dataset").limitPerSplit = { ...overrides.limitPerSplit };
  return out;
}
