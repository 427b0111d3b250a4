/**
 * Where the native TensorFlow backend lives in a checkout: the project-local
 * Python virtual environment holding the TensorFlow wheel, and the tfjs-node
 * package whose addon is built against that wheel's libraries.
 *
 * @module
 */
import { join } from "node:path";

/** The TensorFlow wheel the addon is built against (see README "Native TensorFlow backend"). */
export const TENSORFLOW_VERSION = "2.18.0";
/** The tfjs-node release matching the workbench's tfjs. */
export const TFJS_NODE_VERSION = "4.22.0";

/** Paths of one native setup, CPU or GPU flavour. */
export interface NativeLayout {
  /** The checkout's root folder. */
  projectRoot: string;
  /** Whether this is the GPU flavour (tensorflow[and-cuda], tfjs-node-gpu). */
  gpu: boolean;
  /** Everything the setup creates outside node_modules (git-ignored). */
  nativeDir: string;
  /** The virtual environment, and its python. */
  venvDir: string;
  python: string;
  /** The pip requirement installed into it. */
  requirement: string;
  /** The distribution name pip reports for it. */
  distribution: string;
  /** The npm package, and its folder in node_modules. */
  packageName: string;
  packageDir: string;
  /** Where tfjs-node looks for headers and libraries (binding.gyp's deps/). */
  depsInclude: string;
  depsLib: string;
  /** Records what the addon was built from; a mismatch rebuilds it. */
  stampPath: string;
}

/**
 * The paths for a checkout.
 *
 * @param projectRoot The checkout's root folder (where package.json is).
 * @param options `gpu` for the CUDA flavour.
 * @returns The layout; nothing is created.
 * @example
 * ```ts
 * const layout = nativeLayout(Deno.cwd(), { gpu: false });
 * console.log(layout.venvDir); // .../.native/venv
 * ```
 */
export function nativeLayout(projectRoot: string, options: { gpu: boolean }): NativeLayout {
  const nativeDir = join(projectRoot, ".native");
  const venvDir = join(nativeDir, options.gpu ? "venv-gpu" : "venv");
  const packageName = options.gpu ? "@tensorflow/tfjs-node-gpu" : "@tensorflow/tfjs-node";
  const packageDir = join(projectRoot, "node_modules", packageName);
  return {
    projectRoot,
    gpu: options.gpu,
    nativeDir,
    venvDir,
    python: join(venvDir, "bin", "python"),
    requirement: options.gpu ? `tensorflow[and-cuda]==${TENSORFLOW_VERSION}` : `tensorflow-cpu==${TENSORFLOW_VERSION}`,
    distribution: options.gpu ? "tensorflow" : "tensorflow-cpu",
    packageName,
    packageDir,
    depsInclude: join(packageDir, "deps", "include"),
    depsLib: join(packageDir, "deps", "lib"),
    stampPath: join(packageDir, "deps", "fer-native.json"),
  };
}
