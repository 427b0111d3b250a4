/**
 * The ground floor every area may use: error classes, the one seeded random
 * generator, an abortable pause, atomic file writes, the stable hash of a
 * config, the one binary cache file format, config reading (JSON files, the
 * messages of config validation), names made safe for file names, folders
 * named for when they were made, and lock files held by one live process. It
 * imports nothing from the workbench.
 *
 * @module
 */
export { abortableSleep } from "./abortable_sleep.ts";
export { atomicWrite } from "./atomic_write.ts";
export { configHash } from "./config_hash.ts";
export { type CacheFileKind, type CacheRead, decodeCacheFile, encodeCacheFile, readCacheFile } from "./cache_file.ts";
export { fileStem } from "./file_stem.ts";
export { formatConfigIssues, unknownTagError } from "./format_config_issues.ts";
export { BackendError, ConfigError, DatasetError, DiskFullError, diskFullOr, RunError, VideoError } from "./errors.ts";
export { parseCsvLine } from "./parse_csv_line.ts";
export { type LockAttempt, type LockHolder, processAlive, takeLock } from "./process_lock.ts";
export { readJsonFile, type ReadJsonFileOptions } from "./read_json_file.ts";
export { makeRng, Rng } from "./seed.ts";
export { createStampedFolder } from "./stamped_folder.ts";
export { yieldToEventLoop } from "./yield_to_event_loop.ts";
