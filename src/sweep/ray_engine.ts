/**
 * The Ray engine: each trial is a Ray job whose entrypoint runs
 * `deno task fer run <trial config>` in the project folder of the node Ray
 * picks, writing its run folder to a results root every node reaches.
 *
 * @module
 */
import { writeFile } from "node:fs/promises";
import type { RayJobInfo, RayJobsClient } from "./ray_jobs_client.ts";
import { trialCommand, type TrialEngine, type TrialLaunch } from "./trial_engine.ts";
import { abortableSleep } from "../core/abortable_sleep.ts";

/** Options of {@linkcode rayEngine}. */
export interface RayEngineOptions {
  /** The cluster's job server. */
  client: RayJobsClient;
  /** The project folder on every node (same commit, `npm ci` done): where the entrypoint runs. */
  projectDir: string;
  /** The results root as every node sees it (a shared filesystem path). */
  resultsRoot: string;
  /** Prefix of the Ray submission ids (the sweep's name). */
  sweepName: string;
  /** Seconds between status polls. @default 2 */
  pollSeconds?: number;
  /** Makes a submission id unique across reruns of a sweep of the same name (e.g. a time stamp). */
  uniqueSuffix: string;
}

const FINAL: ReadonlySet<string> = new Set(["SUCCEEDED", "FAILED", "STOPPED"]);

/**
 * Makes the Ray engine. Each attempt is submitted with the trial's CPUs and
 * GPUs as `entrypoint_num_cpus` / `entrypoint_num_gpus` (so Ray places it on
 * a node with room), followed by polling, and its log fetched at the end.
 * On the sweep's interrupt the job is left running: a rerun follows it
 * (`existingJobId`) instead of submitting it again.
 *
 * @param options See {@linkcode RayEngineOptions}.
 * @returns The engine.
 * @example
 * ```ts
 * const engine = rayEngine({ client: rayJobsClient("http://127.0.0.1:8265"), projectDir: Deno.cwd(),
 *   resultsRoot: "/shared/results", sweepName: "smoke", uniqueSuffix: Date.now().toString(36) });
 * ```
 */
export function rayEngine(options: RayEngineOptions): TrialEngine {
  const { client } = options;
  const pollMs = (options.pollSeconds ?? 2) * 1000;
  return {
    name: "ray",
    description: `Ray cluster at ${client.address} (project ${options.projectDir} on every node, results in ${options.resultsRoot})`,
    async runTrial(launch, { signal, onPlacement }) {
      let jobId = launch.existingJobId;
      if (jobId === undefined) {
        jobId = await client.submit({
          entrypoint: trialEntrypoint(options.projectDir, options.resultsRoot, launch),
          submission_id: `fer-${options.sweepName}-${launch.key}-a${launch.attempt}-${options.uniqueSuffix}`,
          entrypoint_num_cpus: launch.resources.cpus,
          entrypoint_num_gpus: launch.resources.gpus,
          metadata: { sweep: options.sweepName, trial: launch.key, attempt: String(launch.attempt) },
        });
      }
      await onPlacement({ jobId, node: null });
      let info: RayJobInfo = await client.info(jobId);
      let node: string | null = null;
      while (!FINAL.has(info.status)) {
        const placed = nodeOf(info);
        if (placed && placed !== node) {
          node = placed;
          await onPlacement({ jobId, node });
        }
        if (signal.aborted) {
          return { ok: false, interrupted: true, message: `sweep interrupted; Ray job ${jobId} is ${info.status} and a rerun follows it`, jobId, node };
        }
        await abortableSleep(pollMs, signal);
        info = await client.info(jobId);
      }
      node = nodeOf(info) ?? node;
      const logs = await client.logs(jobId).catch((error: Error) => `(could not fetch the job's logs: ${error.message})\n`);
      await writeFile(launch.logPath, `# Ray job ${jobId} on ${node ?? "?"}: ${info.status}\n${logs}`);
      const ok = info.status === "SUCCEEDED";
      return {
        ok,
        interrupted: false,
        message: ok
          ? `Ray job ${info.status}`
          : `Ray job ${info.status}${info.driver_exit_code === null || info.driver_exit_code === undefined ? "" : ` (exit code ${info.driver_exit_code})`}: ${info.message ?? ""}`.trim(),
        jobId,
        node,
      };
    },
  };
}

/**
 * The shell command a Ray job runs for a trial (trialCommand: its config, or
 * the run an earlier attempt left with a checkpoint, under the same shared
 * results root; the end of the sweep's budget as a clock time, since a job may
 * wait in the cluster's queue before it starts), every argument quoted.
 *
 * @param projectDir The project folder on the node.
 * @param resultsRoot The shared results root.
 * @param launch The attempt.
 * @returns `cd <project> && FER_RESULTS=<results> npx --no-install deno task fer 'run' '<config>' '--no-images'`.
 * @example
 * ```ts
 * const launch = { key: "t001-seed1", configPath: "/r/t.json", logPath: "/r/t.log", attempt: 1, resources: { cpus: 1, gpus: 0 } };
 * console.assert(trialEntrypoint("/p", "/r", launch) === "cd '/p' && FER_RESULTS='/r' npx --no-install deno task fer 'run' '/r/t.json' '--no-images'");
 * ```
 */
export function trialEntrypoint(projectDir: string, resultsRoot: string, launch: TrialLaunch): string {
  return `cd ${quote(projectDir)} && FER_RESULTS=${quote(resultsRoot)} npx --no-install deno task fer ${trialCommand(launch, "deadline").map(quote).join(" ")}`;
}

/** `<ip> (node <id prefix>)`, from whichever of the job's driver fields Ray filled in. */
function nodeOf(info: RayJobInfo): string | null {
  let ip = info.driver_info?.node_ip_address ?? null;
  if (!ip && info.driver_agent_http_address) {
    try {
      ip = new URL(info.driver_agent_http_address).hostname;
    } catch { /* not a URL: leave the address out */ }
  }
  const id = info.driver_node_id ? info.driver_node_id.slice(0, 8) : null;
  return ip && id ? `${ip} (node ${id})` : ip ?? (id ? `node ${id}` : null);
}

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
