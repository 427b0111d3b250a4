/**
 * `deno task setup:native`: the native TensorFlow backend from PyPI instead
 * of tfjs-node's libtensorflow 2.9.1 download. Each step checks whether its
 * result is already there, so running it again does only what is missing:
 *
 * 1. a virtual environment in .native/ with the TensorFlow wheel (pip);
 * 2. tfjs-node in node_modules (npm, install script skipped: it would download);
 * 3. the wheel's headers and libraries linked into tfjs-node's deps/;
 * 4. tfjs-node's addon compiled against them (g++);
 * 5. a check in a fresh process that the `tensorflow` backend trains.
 *
 * @module
 */
import { readFile, rm, symlink, mkdir, writeFile, lstat } from "node:fs/promises";
import { join } from "node:path";
import { pathExists } from "../data/path_exists.ts";
import { BackendError } from "../core/errors.ts";
import { addonLocation, buildTfjsAddon } from "./build_tfjs_addon.ts";
import { nativeLayout, type NativeLayout, TENSORFLOW_VERSION, TFJS_NODE_VERSION } from "./native_layout.ts";
import { runCommand } from "./run_command.ts";
import { verifyNativeBackend, type NativeCheck } from "./verify_native_backend.ts";

/** Options of {@linkcode setupNative}. */
export interface SetupNativeOptions {
  /** The CUDA flavour: tensorflow[and-cuda] and tfjs-node-gpu. */
  gpu?: boolean;
  /** Python to create the virtual environment with (default python3). */
  python?: string;
  /** Where progress lines go (default console.log). */
  log?: (line: string) => void;
}

/**
 * Runs the setup steps that are not done yet and checks the result.
 *
 * @param projectRoot The checkout's root folder.
 * @param options Flavour, python, log.
 * @returns What the check in a fresh process saw.
 * @throws BackendError naming the step that failed and what to do.
 * @example
 * ```ts
 * const check = await setupNative(Deno.cwd());
 * console.log(check.tensorflowVersion);
 * ```
 */
export async function setupNative(projectRoot: string, options: SetupNativeOptions = {}): Promise<NativeCheck> {
  const log = options.log ?? console.log;
  const layout = nativeLayout(projectRoot, { gpu: options.gpu ?? false });
  const tensorflowDir = await installTensorflowWheel(layout, options.python ?? "python3", log);
  await installTfjsNodePackage(layout, log);
  await linkTensorflowIntoDeps(layout, tensorflowDir, log);
  await buildAddonUnlessCurrent(layout, tensorflowDir, log);
  log("Checking the tensorflow backend in a fresh process ...");
  const check = await verifyNativeBackend(projectRoot, layout.packageName);
  log(`Done: ${layout.packageName} ${TFJS_NODE_VERSION} on TensorFlow ${check.tensorflowVersion}` +
    ` (on the ${check.usesGpu ? "GPU" : "CPU"}); a training step took ${check.stepMilliseconds.toFixed(0)} ms under Deno;` +
    ("skipped" in check.node ? ` Node check skipped: ${check.node.skipped}.` : ` Node loads it too (TensorFlow ${check.node.tensorflowVersion}).`));
  log("`auto` now picks it; `--backend tensorflow` asks for it by name.");
  log(`Undo: deno task setup:native --undo${layout.gpu ? " --gpu" : ""} (removes ${layout.venvDir} and ${layout.packageName}).`);
  return check;
}

async function installTensorflowWheel(layout: NativeLayout, python: string, log: (line: string) => void): Promise<string> {
  if (!(await pathExists(layout.python))) {
    log(`Creating the virtual environment ${layout.venvDir} ...`);
    await runCommand(python, ["-m", "venv", layout.venvDir], { cwd: layout.projectRoot });
  }
  const installed = await pipVersion(layout);
  if (installed === TENSORFLOW_VERSION) {
    log(`${layout.distribution} ${installed} is already in ${layout.venvDir}.`);
  } else {
    log(`Installing ${layout.requirement} from PyPI into ${layout.venvDir} (about 230 MB for the CPU wheel) ...`);
    // The CPU flavour needs only the wheel's shared libraries and headers, not
    // its Python dependencies; the GPU one needs its CUDA packages, which are dependencies.
    const noDeps = layout.gpu ? [] : ["--no-deps"];
    await runCommand(layout.python, ["-m", "pip", "install", "--disable-pip-version-check", ...noDeps, layout.requirement], {
      cwd: layout.projectRoot,
    });
  }
  const script = "import importlib.util, os; print(os.path.dirname(importlib.util.find_spec('tensorflow').origin))";
  return (await runCommand(layout.python, ["-c", script], { cwd: layout.projectRoot, quiet: true })).trim();
}

async function pipVersion(layout: NativeLayout): Promise<string | undefined> {
  try {
    const shown = await runCommand(layout.python, ["-m", "pip", "show", layout.distribution], { cwd: layout.projectRoot, quiet: true });
    return /^Version: (.+)$/m.exec(shown)?.[1]?.trim();
  } catch {
    return undefined; // not installed
  }
}

async function installTfjsNodePackage(layout: NativeLayout, log: (line: string) => void): Promise<void> {
  const manifest = join(layout.packageDir, "package.json");
  if (await pathExists(manifest)) {
    const { version } = JSON.parse(await readFile(manifest, "utf8")) as { version: string };
    if (version === TFJS_NODE_VERSION) {
      log(`${layout.packageName} ${version} is already in node_modules.`);
      return;
    }
  }
  log(`Installing ${layout.packageName}@${TFJS_NODE_VERSION} into node_modules (npm, without its downloading install script) ...`);
  // --no-save: the default flow (wasm) must not depend on it, so package.json and the lockfile stay as they are.
  await runCommand("npm", ["install", "--no-save", "--ignore-scripts", "--no-audit", "--no-fund", `${layout.packageName}@${TFJS_NODE_VERSION}`], {
    cwd: layout.projectRoot,
  });
}

async function linkTensorflowIntoDeps(layout: NativeLayout, tensorflowDir: string, log: (line: string) => void): Promise<void> {
  await mkdir(layout.depsLib, { recursive: true });
  // tfjs-node's binding.gyp links -ltensorflow -ltensorflow_framework; in the
  // wheel the C and eager C API live in libtensorflow_cc.so.2.
  const links: [string, string][] = [
    [layout.depsInclude, join(tensorflowDir, "include")],
    ...["libtensorflow.so", "libtensorflow.so.2", "libtensorflow_cc.so.2"].map((name): [string, string] =>
      [join(layout.depsLib, name), join(tensorflowDir, "libtensorflow_cc.so.2")]
    ),
    ...["libtensorflow_framework.so", "libtensorflow_framework.so.2"].map((name): [string, string] =>
      [join(layout.depsLib, name), join(tensorflowDir, "libtensorflow_framework.so.2")]
    ),
  ];
  for (const [link, target] of links) {
    if (!(await pathExists(target))) {
      throw new BackendError(`The TensorFlow wheel in ${layout.venvDir} has no ${target}; delete ${layout.venvDir} and run the setup again`);
    }
    if (await lstat(link).then(() => true, () => false)) await rm(link, { recursive: true });
    await symlink(target, link);
  }
  log(`Linked the wheel's headers and libraries into ${join(layout.packageDir, "deps")}.`);
}

async function buildAddonUnlessCurrent(layout: NativeLayout, tensorflowDir: string, log: (line: string) => void): Promise<void> {
  const wanted = { tensorflow: TENSORFLOW_VERSION, tensorflowDir, package: `${layout.packageName}@${TFJS_NODE_VERSION}` };
  const { addonPath } = addonLocation(layout);
  if (await pathExists(addonPath) && await pathExists(layout.stampPath)) {
    const stamp = JSON.parse(await readFile(layout.stampPath, "utf8")) as typeof wanted;
    if (stamp.tensorflow === wanted.tensorflow && stamp.tensorflowDir === wanted.tensorflowDir && stamp.package === wanted.package) {
      log(`The addon ${addonPath} is already built against TensorFlow ${TENSORFLOW_VERSION}.`);
      return;
    }
  }
  log(`Compiling ${layout.packageName}'s addon against TensorFlow ${TENSORFLOW_VERSION} (g++, about 10 s) ...`);
  const built = await buildTfjsAddon(layout, tensorflowDir);
  await writeFile(layout.stampPath, JSON.stringify({ ...wanted, napiVersion: built.napiVersion, args: built.args }, null, 2) + "\n");
  log(`Built ${built.addonPath} (N-API ${built.napiVersion}).`);
}
