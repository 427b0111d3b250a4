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

/**
 * A run was not started because its command was stopped (a sitting's end, an
 * interrupt) while a run it needs first (a source named by config path, an
 * ensemble's member config) was training, or just as that one finished. The
 * needed run keeps its checkpoint (or completed), and the same command goes
 * on next time. A kind of {@linkcode ConfigError}, so it is reported as one
 * where nothing handles it; `fer run` tells a stop it asked for (its
 * sitting's end, its interrupt) from a failure.
 */
export class RunNotStartedError extends ConfigError {
  override name = "RunNotStartedError";
  /** What stopped it in this command, filled in by the command's interrupt handling: a sitting's end, or a signal. */
  stoppedBy: { sittingOver: string | null; signal: "SIGINT" | "SIGTERM" | null } | null = null;

  /**
   * @param message What stopped, what is kept and what to do.
   * @param neededRun The needed run that stopped before completing; null when the needed runs completed.
   */
  constructor(message: string, readonly neededRun: string | null) {
    super(message);
  }
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

/**
 * The disk is full (ENOSPC) or over quota (EDQUOT): the message names the
 * folder and the bytes that were being written.
 */
export class DiskFullError extends Error {
  override name = "DiskFullError";
}

/**
 * Turns a write error into a {@linkcode DiskFullError} when the disk is full
 * or over quota; any other error is returned unchanged.
 *
 * @param error What the write threw.
 * @param path The file (or folder) being written.
 * @param bytes How many bytes were being written, when known.
 * @returns The error to throw.
 * @example
 * ```ts
 * const full = Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
 * console.assert(diskFullOr(full, "results/runs/x/metrics.json", 1200) instanceof DiskFullError);
 * ```
 */
export function diskFullOr(error: unknown, path: string, bytes?: number): unknown {
  const code = (error as { code?: string } | null)?.code;
  if (code !== "ENOSPC" && code !== "EDQUOT") return error;
  const folder = path.replace(/[\\/][^\\/]*$/, "") || ".";
  return new DiskFullError(
    `No space left on the disk holding ${folder} (${code === "EDQUOT" ? "quota exceeded" : "disk full"}) while writing ${path}` +
      `${bytes !== undefined ? ` (${formatBytes(bytes)} needed)` : ""}; free space there (check with: df -h ${folder}) and run again`,
  );
}

function formatBytes(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : bytes >= 1e3 ? `${(bytes / 1e3).toFixed(1)} kB` : `${bytes} bytes`;
}
