/**
 * The manifest of a run: what is needed to reproduce it and to trust it.
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import { arch, cpus, hostname, platform, release } from "node:os";
import type { DatasetProblemSummary } from "../data/dataset_problems.ts";

/** Where a run stands. `interrupted` runs keep the best weights so far. */
export type RunStatus = "running" | "completed" | "interrupted" | "failed";

/** The code version a run was made with. */
export interface CodeVersion {
  /** Commit hash, or null outside a git checkout. */
  commit: string | null;
  /** True when tracked files differed from the commit. */
  dirty: boolean;
}

/** Runtime and host facts. */
export interface EnvironmentInfo {
  deno: string | null;
  node: string;
  v8: string | null;
  typescript: string | null;
  platform: string;
  arch: string;
  osRelease: string;
  cpuModel: string;
  cpuCount: number;
  hostname: string;
}

/**
 * The process that writes a run, recorded so that a run whose process is
 * gone (killed, a crash, power loss) can be told from one still running.
 */
export interface RunProcess {
  /** Process id. */
  pid: number;
  /** Host name of the machine it runs on. */
  host: string;
}

/** One resumption of a run, in its manifest. */
export interface RunResume {
  /** When the resumed training started (ISO time). */
  at: string;
  /** Epochs finished before it, all kept. */
  fromEpoch: number;
  /** How the run stood when it was resumed. */
  after: "interrupted" | "failed" | "stale";
  code: CodeVersion;
  /** The backend that went on with it (its name and precision). */
  backend: string;
}

/** manifest.json of a run. */
export interface RunManifest {
  id: string;
  name: string;
  status: RunStatus;
  seed: number;
  code: CodeVersion;
  environment: EnvironmentInfo;
  /** Backend facts (name, versions, threads, adapter) as chosen at run start. */
  backend: Record<string, unknown>;
  dataset: {
    root: string;
    fingerprint: string;
    synthetic: boolean;
    classes: string[];
    counts: Record<string, number>;
    validationSource: string;
    /** What the dataset load skipped (counts and a few paths; the full list is in skipped_files.json). */
    skipped?: DatasetProblemSummary;
    /**
     * Validation/test images with an exact or near copy in train, per split, as
     * found when the run loaded its data, and whether they were left out
     * (`dataset.dropLeaked`). Absent in runs made before leak checks.
     */
    leakage?: {
      hammingThreshold: number;
      counts: Record<string, { images: number; exact: number; near: number }>;
      dropped: boolean;
    };
  };
  /** Package versions that shape results (tfjs and its backends). */
  versions: Record<string, string>;
  startedAt: string;
  finishedAt: string | null;
  durations: { totalSeconds: number | null; trainSeconds: number | null; evalSeconds: number | null };
  /**
   * The run whose saved weights this one started from (`training.initFrom`):
   * its id and name, whether it was named by id, reused or trained for this
   * run, and how the classifier started (src/experiment/initial_weights.ts).
   * Absent for a seeded random initialisation.
   */
  initFrom?: { run: string; name: string; source: "run" | "reused" | "trained"; classifier: "copied" | "shared_columns" | "fresh" };
  /**
   * The teachers of `training.distill` (src/experiment/teacher_targets.ts):
   * each run's id and name and whether it was named by id, reused or trained
   * for this run; how often their averaged top class is the training label
   * (`agreement`), and each one's alone; whether each one's probabilities were
   * read from the teacher cache or computed (absent in runs before the cache).
   * Absent for a run trained on labels alone.
   */
  distill?: {
    teachers: { run: string; name: string; source: "run" | "reused" | "trained"; agreement: number; probabilities?: "cached" | "computed" }[];
    agreement: number;
  };
  /**
   * Each time the run was resumed from its checkpoint (`fer resume`): when,
   * the epochs it had finished, how it stood (interrupted, failed or stale),
   * and the code and backend that went on with it. Absent for a run trained
   * in one go.
   */
  resumes?: RunResume[];
  /** Why the run ended early, when it did. */
  note?: string;
  /** The process writing the run; absent in runs made before it was recorded. */
  process?: RunProcess;
  /**
   * The resolved config as the run started, a copy of config.json, so that a
   * config.json edited afterwards can be detected (rerun refuses it without
   * --force); absent in runs made before it was recorded.
   */
  config?: unknown;
}

/**
 * Reads the git commit and dirty flag of a checkout.
 *
 * @param projectRoot Folder inside the git work tree.
 * @returns The commit (null when git or the repository is missing) and the dirty flag.
 * @example
 * ```ts
 * const code = codeVersion(".");
 * console.assert(code.commit === null || code.commit.length === 40);
 * ```
 */
export function codeVersion(projectRoot: string): CodeVersion {
  try {
    const git = (args: string[]) =>
      execFileSync("git", args, { cwd: projectRoot, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const commit = git(["rev-parse", "HEAD"]);
    const dirty = git(["status", "--porcelain", "--untracked-files=no"]).length > 0;
    return { commit, dirty };
  } catch {
    return { commit: null, dirty: false };
  }
}

/**
 * Collects the runtime and host facts for the manifest.
 *
 * @returns Versions of Deno, V8 and TypeScript (null under plain Node), Node
 *   compatibility version, OS and CPU.
 * @example
 * ```ts
 * console.assert(environmentInfo().cpuCount >= 1);
 * ```
 */
export function environmentInfo(): EnvironmentInfo {
  const deno = (globalThis as { Deno?: { version: { deno: string; v8: string; typescript: string } } }).Deno;
  const cpuList = cpus();
  return {
    deno: deno?.version.deno ?? null,
    node: process.versions.node,
    v8: deno?.version.v8 ?? process.versions.v8 ?? null,
    typescript: deno?.version.typescript ?? null,
    platform: platform(),
    arch: arch(),
    osRelease: release(),
    cpuModel: cpuList[0]?.model ?? "unknown",
    cpuCount: cpuList.length,
    hostname: hostname(),
  };
}
