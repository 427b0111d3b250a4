/**
 * Test-time augmentation settings: which extra views of each image a model
 * is run on (its probabilities are averaged over them).
 *
 * @module
 */
import { z } from "zod";
import { ConfigError } from "../core/errors.ts";
import { formatConfigIssues } from "../core/format_config_issues.ts";

/** Where a crop is taken from. */
export const CROP_POSITIONS = ["center", "top_left", "top_right", "bottom_left", "bottom_right"] as const;

const pixels = z.number().int().min(-16).max(16);

/** The schema of a `tta` section. */
export const ttaConfigSchema = z.strictObject({
  /** Also run every view mirrored left-right. */
  horizontalFlip: z.boolean().default(false),
  /** Extra views shifted by `[dx, dy]` pixels of the model input (right and down); the border repeats the edge pixels. */
  shifts: z.array(z.tuple([pixels, pixels])).default([]),
  /** Extra views cropped to `size` (share of the side) at each position and resized back; null for none. */
  crops: z.strictObject({
    size: z.number().gt(0.5).lt(1),
    positions: z.array(z.enum(CROP_POSITIONS)).min(1).default([...CROP_POSITIONS]),
  }).nullable().default(null),
});

/** A resolved `tta` section. */
export type TtaConfig = z.infer<typeof ttaConfigSchema>;

/**
 * What each word of `--tta` adds: 2-pixel shifts in four directions; 4-pixel
 * shifts to the four corners (for a net with `model.inputCrop` 4, which sees
 * the centre 40x40, these are the corner crops: with `flip`, the ten crops of
 * Khaireddin and Chen); five crops of 90% of the side.
 */
export const TTA_PRESETS = {
  flip: { horizontalFlip: true },
  shift: { shifts: [[2, 0], [-2, 0], [0, 2], [0, -2]] as [number, number][] },
  corners: { shifts: [[4, 4], [-4, 4], [4, -4], [-4, -4]] as [number, number][] },
  crop: { crops: { size: 0.9, positions: [...CROP_POSITIONS] } },
} as const;

/**
 * Validates a `tta` section and fills in its defaults.
 *
 * @param input Parsed JSON.
 * @param source Where it came from, for messages.
 * @returns The resolved settings.
 * @throws {ConfigError} Naming each bad field.
 * @example
 * ```ts
 * const tta = parseTtaConfig({ horizontalFlip: true });
 * console.assert(tta.shifts.length === 0 && tta.crops === null);
 * ```
 */
export function parseTtaConfig(input: unknown, source = "tta"): TtaConfig {
  const result = ttaConfigSchema.safeParse(input);
  if (!result.success) throw formatConfigIssues(result.error.issues, source);
  return result.data;
}

/**
 * Builds settings from a comma-separated list of {@linkcode TTA_PRESETS}
 * names, as `--tta flip,shift` gives it.
 *
 * @param text E.g. `"flip,shift"` or `"flip, crop"`.
 * @returns The combined settings.
 * @throws {ConfigError} For an empty list or an unknown name.
 * @example
 * ```ts
 * const tta = ttaFromList("flip,shift");
 * console.assert(tta.horizontalFlip && tta.shifts.length === 4 && tta.crops === null);
 * ```
 */
export function ttaFromList(text: string): TtaConfig {
  return presetsFromList(text, "");
}

/**
 * Reads a command's `--tta` option: `"none"` (the image alone) or a list for
 * {@linkcode ttaFromList}.
 *
 * @param text The option's value, e.g. `"none"` or `"flip,crop"`.
 * @returns `null` for `"none"`, else the combined settings.
 * @throws {ConfigError} For an empty list or an unknown name (the message offers none too).
 * @example
 * ```ts
 * console.assert(ttaFromOption("none") === null);
 * console.assert(ttaFromOption("flip")?.horizontalFlip === true);
 * ```
 */
export function ttaFromOption(text: string): TtaConfig | null {
  return text.trim() === "none" ? null : presetsFromList(text, ", or none for the image alone");
}

function presetsFromList(text: string, otherChoices: string): TtaConfig {
  const names = text.split(",").map((name) => name.trim()).filter((name) => name !== "");
  const known = Object.keys(TTA_PRESETS);
  const unknown = names.find((name) => !known.includes(name));
  if (names.length === 0 || unknown !== undefined) {
    throw new ConfigError(
      `Option --tta is "${text}"${unknown !== undefined ? ` ("${unknown}" is unknown)` : ""}; pass some of ${known.join(", ")} separated by commas, e.g. flip,shift${otherChoices}`,
    );
  }
  // The words' views add up: shift and corners both give shifts, so theirs are joined, not overwritten.
  const presets: { horizontalFlip?: boolean; shifts?: [number, number][]; crops?: unknown }[] = names.map((name) =>
    TTA_PRESETS[name as keyof typeof TTA_PRESETS]
  );
  const merged = {
    horizontalFlip: presets.some((preset) => preset.horizontalFlip === true),
    shifts: presets.flatMap((preset) => preset.shifts ?? []),
    crops: presets.find((preset) => preset.crops !== undefined)?.crops ?? null,
  };
  return parseTtaConfig(structuredClone(merged), `--tta ${text}`);
}
