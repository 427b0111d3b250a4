/**
 * The ground floor every area may use: error classes, the one seeded random
 * generator and atomic file writes. It imports nothing from the workbench.
 *
 * @module
 */
export { atomicWrite } from "./atomic_write.ts";
export { BackendError, ConfigError, DatasetError, DiskFullError, diskFullOr, RunError, VideoError } from "./errors.ts";
export { parseCsvLine } from "./parse_csv_line.ts";
export { makeRng, Rng } from "./seed.ts";
