/**
 * Error classes shared by every area of the workbench.
 *
 * Messages follow one form: they start upper-case, have no trailing period,
 * say what was found, what is allowed and what to do.
 *
 * @example
 * ```ts
 * import { DatasetError } from "./errors.ts";
 * const error = new DatasetError("Dataset root data/x does not exist");
 * console.assert(error.name === "DatasetError");
 * ```
 *
 * @module
 */

/** A config field is missing, has the wrong type or an unknown value. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** A dataset cannot be found, read or decoded. */
export class DatasetError extends Error {
  override name = "DatasetError";
}

/** A tensor backend is unknown, unavailable or failed to initialise. */
export class BackendError extends Error {
  override name = "BackendError";
}

/**
 * A video or photo cannot be read: a missing file, one ffmpeg cannot decode,
 * or ffmpeg itself missing. A kind of {@linkcode DatasetError} (input data),
 * so the CLI reports it the same way.
 */
export class VideoError extends DatasetError {
  override name = "VideoError";
}

/**
 * A run folder, or one of its files, is missing, damaged or not in a state
 * the command needs (no model, no metrics, a config edited by hand).
 */
export class RunError extends Error {
  override name = "RunError";
}
