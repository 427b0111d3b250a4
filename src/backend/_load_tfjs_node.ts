/**
 * Loads the optional native TensorFlow backend (@tensorflow/tfjs-node-gpu or
 * @tensorflow/tfjs-node), which is not a dependency of the workbench.
 *
 * @module
 */

import util from "node:util";
import { type MathPrecision, ONEDNN_FPMATH_ENV, ONEDNN_OPTS_ENV, oneDnnOfOptsValue, precisionOfFpmathMode } from "./math_precision.ts";

/** What {@linkcode loadTfjsNode} found. */
export type TfjsNodeLoad =
  | {
    loaded: true;
    packageName: string;
    version: string;
    /**
     * The float math its CPU kernels were loaded with (oneDNN's mode, fixed for
     * the process); null for a oneDNN mode the workbench does not name (TF32, F16, ANY).
     */
    precision: MathPrecision | null;
    /** Whether its CPU kernels use oneDNN (fixed when the library loads, like the precision). */
    oneDnn: boolean;
  }
  | { loaded: false; installed: boolean; why: string };

// The oneDNN mode and switch of the first load in this process: the library keeps them.
let precisionAtLoad: MathPrecision | null | undefined;
let oneDnnAtLoad: boolean | undefined;

// Tried in this order: the GPU build first, as the faster one when present.
const PACKAGES = ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"] as const;

/**
 * Imports the first of tfjs-node-gpu and tfjs-node that loads. Importing it
 * registers the `tensorflow` backend with tfjs.
 *
 * @param precision The float math to load it with: sets (bf16) or clears
 *   (float32) `ONEDNN_DEFAULT_FPMATH_MODE` before the first load of the
 *   process. Left out, the environment decides. Once loaded the mode stays:
 *   compare the returned `precision` with the one asked for.
 * @param options `oneDnn: false` turns oneDNN off (`TF_ENABLE_ONEDNN_OPTS=0`)
 *   before the first load of the process, for a model whose training crashes
 *   its kernels; true or left out leaves the environment (on by default).
 *   Fixed once loaded, like the precision: compare the returned `oneDnn`.
 * @returns The package, its version and precision, or whether one was installed and why it did not load.
 * @example
 * ```ts
 * const result = await loadTfjsNode();
 * console.log(result.loaded ? result.packageName : result.why);
 * ```
 */
export async function loadTfjsNode(precision?: MathPrecision, options: { oneDnn?: boolean } = {}): Promise<TfjsNodeLoad> {
  restoreRemovedUtilFunctions();
  quietTensorflowStartup();
  if (precision !== undefined && precisionAtLoad === undefined) setFpmathMode(precision);
  if (options.oneDnn === false && oneDnnAtLoad === undefined) setEnv(ONEDNN_OPTS_ENV, "0");
  const failures: string[] = [];
  for (const packageName of PACKAGES) {
    try {
      // A variable specifier keeps type checking and bundling from requiring the package.
      const specifier: string = packageName;
      const module = await import(specifier) as { version?: Record<string, string> };
      const version = module.version?.["tfjs-node"] ?? module.version?.["tfjs-node-gpu"] ?? "unknown";
      precisionAtLoad ??= precisionOfFpmathMode(readEnv(ONEDNN_FPMATH_ENV));
      oneDnnAtLoad ??= oneDnnOfOptsValue(readEnv(ONEDNN_OPTS_ENV));
      return { loaded: true, packageName, version, precision: precisionAtLoad, oneDnn: oneDnnAtLoad };
    } catch (error) {
      if (!isNotFound(error, packageName)) failures.push(`${packageName} is installed but failed to load: ${(error as Error).message}`);
    }
  }
  return failures.length > 0
    ? { loaded: false, installed: true, why: failures.join("; ") }
    : { loaded: false, installed: false, why: `neither ${PACKAGES.join(" nor ")} is installed` };
}

// TensorFlow prints its start-up notices (the oneDNN note, the CPU feature guard)
// at log level INFO, filling the first screen of every command. Its logger reads
// TF_CPP_MIN_LOG_LEVEL when the library loads, so set it (to 1: warnings and
// errors still show) before the import, unless the user chose a level or asked
// for everything with FER_VERBOSE=1.
function quietTensorflowStartup(): void {
  try {
    if (Deno.env.get("TF_CPP_MIN_LOG_LEVEL") !== undefined || Deno.env.get("FER_VERBOSE") === "1") return;
    Deno.env.set("TF_CPP_MIN_LOG_LEVEL", "1");
  } catch {
    // Without --allow-env the notices simply stay.
  }
}

// oneDNN reads its mode at the first convolution or matmul of the process, so
// it has to be in the environment before TensorFlow computes anything.
function setFpmathMode(precision: MathPrecision): void {
  try {
    if (precision === "bf16") Deno.env.set(ONEDNN_FPMATH_ENV, "BF16");
    else Deno.env.delete(ONEDNN_FPMATH_ENV);
  } catch {
    // Without --allow-env the environment decides; the returned precision says what it gave.
  }
}

function setEnv(name: string, value: string): void {
  try {
    Deno.env.set(name, value);
  } catch {
    // Without --allow-env the environment decides; the returned oneDnn says what it gave.
  }
}

function readEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

// tfjs-node 4.22 calls util.isNullOrUndefined and util.isArray, which newer
// Node releases and Deno's node:util no longer have ("is not a function" on
// the first kernel). Put them back, as they were defined, before it loads.
function restoreRemovedUtilFunctions(): void {
  const nodeUtil = util as unknown as Record<string, unknown>;
  nodeUtil.isNullOrUndefined ??= (value: unknown) => value === null || value === undefined;
  nodeUtil.isArray ??= Array.isArray;
}

// Not installed: the package itself cannot be resolved. A module missing inside
// an installed package names that module instead, and counts as a failure.
function isNotFound(error: unknown, packageName: string): boolean {
  const { code, message = "" } = error as { code?: string; message?: string };
  const notFound = code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND" ||
    /cannot find (module|package)|not a dependency/i.test(message);
  return notFound && message.includes(packageName);
}
