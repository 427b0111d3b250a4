/**
 * Checks the environment variables the CLI reads before any command uses
 * them, so a wrong value is reported with the variable's name.
 *
 * @module
 */
import { BACKEND_REQUESTS } from "../backend/backend_info.ts";
import { ConfigError } from "../core/errors.ts";

/** The variables the CLI reads, with what each does (for `--help` and the README). */
export const ENVIRONMENT_VARIABLES: Readonly<Record<string, string>> = Object.freeze({
  FER_BACKEND: `backend over the config's, for every command; --backend wins over it (${BACKEND_REQUESTS.join(", ")})`,
  FER_RESULTS: "results folder: runs in <it>/runs/ (default results/)",
  FER_CACHE: "cache folder: decoded datasets, backbone features, teacher scores, ensemble members' predictions (default .cache/datasets/)",
  FER_FFMPEG: "ffmpeg binary for fer video (ffprobe is taken from its folder; default: ffmpeg on PATH)",
  FER_VERBOSE: "1 shows TensorFlow's own start-up notices (hidden by default; TF_CPP_MIN_LOG_LEVEL, when set, wins)",
});

/**
 * Validates FER_BACKEND, FER_RESULTS and FER_CACHE when they are set.
 *
 * @param env The environment src/cli.ts was given.
 * @throws {ConfigError} Naming the variable, its value and the allowed values.
 * @example
 * ```ts
 * checkEnvironment({ FER_BACKEND: "wasm" });
 * let message = "";
 * try { checkEnvironment({ FER_BACKEND: "bogus" }); } catch (error) { message = (error as Error).message; }
 * console.assert(message.startsWith('Environment variable FER_BACKEND is "bogus"'));
 * ```
 */
export function checkEnvironment(env: Readonly<Record<string, string | undefined>>): void {
  const backend = env.FER_BACKEND;
  if (backend !== undefined && !(BACKEND_REQUESTS as readonly string[]).includes(backend)) {
    throw new ConfigError(
      `Environment variable FER_BACKEND is "${backend}"; allowed: ${BACKEND_REQUESTS.join(", ")}; ` +
        "set one of them, or unset it (unset FER_BACKEND) to use the config's backend",
    );
  }
  for (const name of ["FER_RESULTS", "FER_CACHE"]) {
    if (env[name] !== undefined && env[name]!.trim() === "") {
      throw new ConfigError(`Environment variable ${name} is set but empty; give it a folder path, or unset it (unset ${name}) for the default`);
    }
  }
}
