/**
 * Loads the optional native TensorFlow backend (@tensorflow/tfjs-node-gpu or
 * @tensorflow/tfjs-node), which is not a dependency of the workbench.
 *
 * @module
 */

import util from "node:util";

/** What {@linkcode loadTfjsNode} found. */
export type TfjsNodeLoad =
  | { loaded: true; packageName: string; version: string }
  | { loaded: false; installed: boolean; why: string };

// Tried in this order: the GPU build first, as the faster one when present.
const PACKAGES = ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"] as const;

/**
 * Imports the first of tfjs-node-gpu and tfjs-node that loads. Importing it
 * registers the `tensorflow` backend with tfjs.
 *
 * @returns The package and its version, or whether one was installed and why it did not load.
 * @example
 * ```ts
 * const result = await loadTfjsNode();
 * console.log(result.loaded ? result.packageName : result.why);
 * ```
 */
export async function loadTfjsNode(): Promise<TfjsNodeLoad> {
  restoreRemovedUtilFunctions();
  quietTensorflowStartup();
  const failures: string[] = [];
  for (const packageName of PACKAGES) {
    try {
      // A variable specifier keeps type checking and bundling from requiring the package.
      const specifier: string = packageName;
      const module = await import(specifier) as { version?: Record<string, string> };
      const version = module.version?.["tfjs-node"] ?? module.version?.["tfjs-node-gpu"] ?? "unknown";
      return { loaded: true, packageName, version };
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
