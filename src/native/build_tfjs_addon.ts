/**
 * Builds tfjs-node's native addon (binding/*.cc) with g++ against the
 * TensorFlow wheel's libraries, instead of node-gyp against the libtensorflow
 * 2.9.1 download that its install script fetches from the internet.
 *
 * The addon is N-API only, so node-api-headers (an npm package) is all the
 * Node side it needs; no node-gyp, no Node source download.
 *
 * @module
 */
import { createRequire } from "node:module";
import { mkdir } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { BackendError } from "../core/errors.ts";
import type { NativeLayout } from "./native_layout.ts";
import { runCommand } from "./run_command.ts";

/** What {@linkcode buildTfjsAddon} produced. */
export interface BuiltAddon {
  /** The .node file, where tfjs-node's loader (node-pre-gyp's `find`) looks for it. */
  addonPath: string;
  /** The N-API version it was compiled for. */
  napiVersion: number;
  /** The compiler arguments, recorded in the stamp. */
  args: string[];
}

/**
 * Where tfjs-node will look for its addon, as its own loader computes it.
 *
 * @param layout The native layout (its package must be installed).
 * @returns The addon path and the N-API version in it.
 * @example
 * ```ts
 * const { addonPath } = addonLocation(nativeLayout(Deno.cwd(), { gpu: false }));
 * ```
 */
export function addonLocation(layout: NativeLayout): { addonPath: string; napiVersion: number } {
  const packageJson = join(layout.packageDir, "package.json");
  const requireFromPackage = createRequire(packageJson);
  const preGyp = requireFromPackage("@mapbox/node-pre-gyp") as { find(path: string): string };
  const addonPath = preGyp.find(packageJson);
  const napiVersion = Number(/napi-v(\d+)/.exec(addonPath)?.[1]);
  if (!Number.isInteger(napiVersion)) {
    throw new BackendError(`Could not tell the N-API version from the addon path ${addonPath}; reinstall ${layout.packageName}`);
  }
  return { addonPath, napiVersion };
}

/**
 * Compiles the addon. The run path points from the addon to the wheel's
 * tensorflow folder itself (not to the deps/lib links), so TensorFlow's own
 * `$ORIGIN`-relative search for CUDA libraries in the GPU wheel still works.
 *
 * @param layout The native layout; deps/include and deps/lib must be in place.
 * @param tensorflowDir The wheel's tensorflow package folder.
 * @returns The built addon.
 * @throws BackendError when g++ fails.
 * @example
 * ```ts
 * await buildTfjsAddon(layout, "/repo/.native/venv/lib/python3.11/site-packages/tensorflow");
 * ```
 */
export async function buildTfjsAddon(layout: NativeLayout, tensorflowDir: string): Promise<BuiltAddon> {
  const { addonPath, napiVersion } = addonLocation(layout);
  const napiHeaders = join(dirname(createRequire(join(layout.projectRoot, "package.json")).resolve("node-api-headers/package.json")), "include");
  const runPath = `$ORIGIN/${relative(dirname(addonPath), tensorflowDir)}`;
  const args = [
    "-O2", "-std=c++17", "-shared", "-fPIC", `-DNAPI_VERSION=${napiVersion}`,
    `-I${napiHeaders}`, `-I${layout.depsInclude}`,
    join(layout.packageDir, "binding", "tfjs_backend.cc"),
    join(layout.packageDir, "binding", "tfjs_binding.cc"),
    `-L${layout.depsLib}`, "-l:libtensorflow_cc.so.2", "-l:libtensorflow_framework.so.2",
    `-Wl,-rpath,${runPath}`,
    "-o", addonPath,
  ];
  await mkdir(dirname(addonPath), { recursive: true });
  await runCommand("g++", args, { cwd: layout.packageDir, quiet: true });
  return { addonPath, napiVersion, args };
}
