/**
 * `deno task setup:ray`: Ray from PyPI (`ray[default]`, which brings the
 * dashboard and its Jobs REST API) in a project-local virtual environment,
 * `.ray/venv`, so `--engine ray` can be tried on this machine with
 * `.ray/venv/bin/ray start --head`. Running it again does only what is missing.
 *
 * @module
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { BackendError } from "../core/errors.ts";
import { pathExists } from "../data/path_exists.ts";
import { runCommand } from "../native/run_command.ts";

/** The Ray release the setup installs (and CI tests against). */
export const RAY_VERSION = "2.52.1";

/** Where the setup puts things, relative to a project root. */
export interface RayLayout {
  /** `.ray/` */
  dir: string;
  /** `.ray/venv` */
  venvDir: string;
  /** `.ray/venv/bin/python` */
  python: string;
  /** `.ray/venv/bin/ray`: the `ray` command (start, stop, status). */
  ray: string;
}

/**
 * The Ray layout of a project.
 *
 * @param projectRoot The checkout's root folder.
 * @returns The paths.
 * @example
 * ```ts
 * console.assert(rayLayout("/p").ray === "/p/.ray/venv/bin/ray");
 * ```
 */
export function rayLayout(projectRoot: string): RayLayout {
  const dir = join(projectRoot, ".ray");
  const venvDir = join(dir, "venv");
  return { dir, venvDir, python: join(venvDir, "bin", "python"), ray: join(venvDir, "bin", "ray") };
}

/** Options of {@linkcode setupRay}. */
export interface SetupRayOptions {
  /** Python to create the virtual environment with. @default "python3" */
  python?: string;
  /** Progress lines. @default console.log */
  log?: (line: string) => void;
}

/**
 * Creates `.ray/venv` when missing, installs `ray[default]==RAY_VERSION`
 * into it unless that version is there, and checks that `ray --version` runs.
 *
 * @param projectRoot The checkout's root folder.
 * @param options See {@linkcode SetupRayOptions}.
 * @returns The Ray version the `ray` command reports.
 * @throws {BackendError} Naming the step that failed (no python3, no network to PyPI, ...).
 * @example
 * ```ts
 * const version = await setupRay(Deno.cwd());
 * ```
 */
export async function setupRay(projectRoot: string, options: SetupRayOptions = {}): Promise<string> {
  const log = options.log ?? console.log;
  const layout = rayLayout(projectRoot);
  if (!(await pathExists(layout.python))) {
    log(`Creating the virtual environment ${layout.venvDir} ...`);
    await runCommand(options.python ?? "python3", ["-m", "venv", layout.venvDir], { cwd: projectRoot });
  }
  const installed = await installedRayVersion(layout, projectRoot);
  if (installed === RAY_VERSION) {
    log(`ray ${installed} is already in ${layout.venvDir}.`);
  } else {
    log(`Installing ray[default]==${RAY_VERSION} from PyPI into ${layout.venvDir} (about 250 MB with its dependencies) ...`);
    await runCommand(layout.python, ["-m", "pip", "install", "--disable-pip-version-check", "--quiet", `ray[default]==${RAY_VERSION}`], { cwd: projectRoot });
  }
  const output = await runCommand(layout.ray, ["--version"], { cwd: projectRoot, quiet: true });
  const version = output.match(/version (\S+)/)?.[1];
  if (version !== RAY_VERSION) throw new BackendError(`${layout.ray} --version printed "${output.trim()}"; expected ray ${RAY_VERSION}: run deno task setup:ray --undo, then deno task setup:ray`);
  log(`Done: ray ${version} in ${layout.venvDir}.`);
  log(`Start a one-machine cluster: ${layout.ray} start --head --dashboard-host=127.0.0.1 --disable-usage-stats`);
  log(`Then: deno task fer sweep experiments/sweep_smoke.json --engine ray   (stop it with: ${layout.ray} stop)`);
  return version;
}

/**
 * Removes `.ray/` (stop a running Ray first: `.ray/venv/bin/ray stop`).
 *
 * @param projectRoot The checkout's root folder.
 * @returns Resolves when it is gone.
 * @example
 * ```ts
 * await undoRay(Deno.cwd());
 * ```
 */
export async function undoRay(projectRoot: string): Promise<void> {
  await rm(rayLayout(projectRoot).dir, { recursive: true, force: true });
}

async function installedRayVersion(layout: RayLayout, projectRoot: string): Promise<string | null> {
  try {
    const output = await runCommand(layout.python, ["-m", "pip", "show", "--disable-pip-version-check", "ray"], { cwd: projectRoot, quiet: true });
    return output.match(/^Version: (\S+)/m)?.[1] ?? null;
  } catch {
    return null;
  }
}
