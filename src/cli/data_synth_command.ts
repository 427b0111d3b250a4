/**
 * `deno task fer data synth`: generates a synthetic face dataset.
 *
 * @module
 */
import { SPLITS, type SplitName } from "../data/classes.ts";
import { generateSyntheticDataset } from "../data/synthetic_faces.ts";
import { ConfigError } from "../core/errors.ts";
import type { CliCommand } from "./cli_command.ts";
import { parseArgs } from "./parse_args.ts";
import { parseClassList } from "./parse_class_list.ts";

/** Images per class when --per-class is not given. */
export const DEFAULT_SYNTH_PER_CLASS: Record<SplitName, number> = { train: 200, validation: 50, test: 50 };

const HELP = `Usage: deno task fer data synth --out data/synthetic [--per-class N | T,V,E] [--seed S] [--classes a,b] [--overwrite]

Draws a SYNTHETIC face dataset (SVG faces rasterised to 48x48 grayscale PNG),
marked synthetic in <out>/SYNTHETIC.json so every run and report says so.
The same seed gives byte-identical files.

  --out        folder to create (required); must be missing or empty
  --per-class  images per class: N for train (validation and test get N/4),
               or train,validation,test counts (default: 200,50,50)
  --seed       generator seed, 0 to 4294967295 (default: 42)
  --classes    any of angry,disgust,fear,happy,sad,surprise,neutral
               (default: happy,sad,surprise,neutral)
  --overwrite  replace a non-empty --out

Example: deno task fer data synth --out data/synthetic --per-class 100 --seed 7
`;

/** The `data synth` command. */
export const dataSynthCommand: CliCommand = {
  summary: "Generate a synthetic face dataset (for a machine without data)",
  help: HELP,
  async run(args, io) {
    const parsed = parseArgs(args, {
      command: "data synth",
      flags: { out: "string", "per-class": "string", seed: "string", classes: "string", overwrite: "boolean" },
      positionals: [0, 0],
    });
    if (parsed.help) {
      io.out(HELP);
      return 0;
    }
    const { out, seed, classes, overwrite } = parsed.flags;
    if (typeof out !== "string") {
      throw new ConfigError("Missing --out for data synth; pass the folder to create, e.g. --out data/synthetic");
    }
    const perClass = parsePerClass(parsed.flags["per-class"]);
    const seedValue = seed === undefined ? 42 : Number(seed);
    if (!Number.isInteger(seedValue) || seedValue < 0 || seedValue > 0xffffffff) {
      throw new ConfigError(`Option --seed is "${seed}"; pass a whole number from 0 to 4294967295, e.g. 42`);
    }
    const started = performance.now();
    const marker = await generateSyntheticDataset(out, {
      perClass,
      seed: seedValue,
      classes: typeof classes === "string" ? parseClassList(classes) : undefined,
      overwrite: overwrite === true,
    });
    const total = SPLITS.reduce((n, split) => n + perClass[split] * marker.classes.length, 0);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    io.out(
      `Wrote ${total} SYNTHETIC images to ${out} in ${seconds} s: ` +
        `${SPLITS.map((split) => `${split} ${perClass[split]}`).join(", ")} per class, ` +
        `classes ${marker.classes.join(", ")}, seed ${marker.seed}\n`,
    );
    return 0;
  },
};

function parsePerClass(value: string | boolean | undefined): Record<SplitName, number> {
  if (value === undefined) return { ...DEFAULT_SYNTH_PER_CLASS };
  const parts = String(value).split(",").map((part) => Number(part.trim()));
  const valid = (parts.length === 1 || parts.length === 3) && parts.every((n) => Number.isInteger(n) && n >= 0);
  if (!valid) {
    throw new ConfigError(
      `Option --per-class is "${value}"; pass one whole number (train; validation and test get a quarter) or three: train,validation,test`,
    );
  }
  if (parts.length === 3) return { train: parts[0], validation: parts[1], test: parts[2] };
  const quarter = Math.max(1, Math.round(parts[0] / 4));
  return { train: parts[0], validation: quarter, test: quarter };
}
