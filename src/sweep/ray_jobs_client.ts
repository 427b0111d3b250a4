/**
 * A small client of the Ray Jobs REST API (the job server on a Ray head's
 * dashboard port, 8265 by default): submit, follow, fetch logs, stop.
 * Any Ray cluster serves it, however it was started (`ray start`, the
 * cluster launcher, Slurm, KubeRay).
 *
 * @module
 */
import { BackendError } from "../core/errors.ts";

/** The states of a Ray job; the last three are final. */
export type RayJobStatus = "PENDING" | "RUNNING" | "SUCCEEDED" | "FAILED" | "STOPPED";

/** What `GET /api/jobs/{id}` says about a job (the fields the sweep uses). */
export interface RayJobInfo {
  status: RayJobStatus;
  message: string | null;
  submission_id: string;
  driver_node_id?: string | null;
  /** The driver node's agent, `http://<ip>:<port>` (where Ray leaves driver_info empty). */
  driver_agent_http_address?: string | null;
  driver_info?: { node_ip_address?: string; id?: string } | null;
  driver_exit_code?: number | null;
}

/** A job to submit (`POST /api/jobs/`). */
export interface RayJobRequest {
  entrypoint: string;
  submission_id: string;
  entrypoint_num_cpus?: number;
  entrypoint_num_gpus?: number;
  metadata?: Record<string, string>;
  runtime_env?: Record<string, unknown>;
}

/** Talks to one Ray job server. */
export interface RayJobsClient {
  /** The server's base URL, without a trailing slash. */
  address: string;
  /** `GET /api/version`: the Ray version; fails with a clear message when nothing answers. */
  version(): Promise<string>;
  /** Submits a job; returns its submission id. */
  submit(request: RayJobRequest): Promise<string>;
  info(id: string): Promise<RayJobInfo>;
  logs(id: string): Promise<string>;
  stop(id: string): Promise<void>;
}

/**
 * Makes a client for the job server at `address`.
 *
 * @param address `http://<head>:8265` (a bare `host:port` gets `http://`).
 * @returns The client.
 * @throws {BackendError} From its methods, when the server cannot be reached or answers with an error.
 * @example
 * ```ts
 * const ray = rayJobsClient("http://127.0.0.1:8265");
 * console.log(await ray.version());
 * ```
 */
export function rayJobsClient(address: string): RayJobsClient {
  const base = (/^[a-z]+:\/\//i.test(address) ? address : `http://${address}`).replace(/\/+$/, "");
  async function call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new BackendError(
        `No Ray job server answers at ${base} (${(error as Error).message}); start one with: .ray/venv/bin/ray start --head (after deno task setup:ray), or pass the head's dashboard address with --address http://<head>:8265`,
      );
    }
    const text = await response.text();
    if (!response.ok) throw new BackendError(`Ray job server ${base} answered ${method} ${path} with HTTP ${response.status}: ${text.slice(0, 500)}`);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new BackendError(`Ray job server ${base} answered ${method} ${path} with something that is not JSON: ${text.slice(0, 200)}; is ${base} a Ray dashboard address?`);
    }
  }
  const id = (job: string) => `/api/jobs/${encodeURIComponent(job)}`;
  return {
    address: base,
    version: async () => (await call<{ ray_version: string }>("GET", "/api/version")).ray_version,
    submit: async (request) => {
      const answer = await call<{ submission_id?: string; job_id?: string }>("POST", "/api/jobs/", request);
      return answer.submission_id ?? answer.job_id ?? request.submission_id;
    },
    info: (job) => call<RayJobInfo>("GET", id(job)),
    logs: async (job) => (await call<{ logs: string }>("GET", `${id(job)}/logs`)).logs,
    stop: async (job) => {
      await call<unknown>("POST", `${id(job)}/stop`);
    },
  };
}
