/**
 * `fer live`'s web server: Deno's HTTP server on 127.0.0.1 serving the live
 * page, its bundled script, the face detector's weights and a run's model.
 *
 * It only answers GET requests for those files; it has no route that accepts
 * data, and the page's Content-Security-Policy allows connections to this
 * server alone, so frames cannot leave the browser.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../core/errors.ts";
import { openRun, readRunJson, runPath } from "../experiment/run_store.ts";
import type { RunConfig } from "../experiment/run_config.ts";
import { bundleLivePage } from "./bundle_live_page.ts";
import type { LiveConfig } from "./live_config.ts";
import { type LivePageBackend, livePageBackend } from "./live_config.ts";
import { redetectRule } from "./redetect_rule.ts";
import { FACE_API_MODEL_DIR, FACE_DETECTOR_MODEL } from "./load_face_detector.ts";

/** Options of {@linkcode startLiveServer}. */
export interface LiveServerOptions {
  /** Results folder holding `runs/`. */
  resultsRoot: string;
  /** The run whose model the page uses. */
  runId: string;
  /** Folder holding node_modules. @default "." */
  projectRoot?: string;
  /** Port; 0 picks a free one. @default 8765 */
  port?: number;
  /** Face detector input size in the page. @default 320 (see tiny_face_detector.ts) */
  inputSize?: number;
  /** Most frames between two detector runs in the page (redetect_rule.ts). @default 6 */
  detectEvery?: number;
  /** tfjs backend in the page (see {@linkcode LivePageBackend}). @default "auto" */
  backend?: LivePageBackend;
}

/** A running live server. */
export interface LiveServer {
  /** The page's address, e.g. `http://127.0.0.1:8765/`. */
  url: string;
  /** Stops the server. */
  close(): Promise<void>;
}

/** tfjs-backend-wasm's binaries, served for the page's wasm backend. */
const WASM_DIR = "node_modules/@tensorflow/tfjs-backend-wasm/dist";
const WASM_FILES = ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm", "tfjs-backend-wasm-threaded-simd.wasm"];

// Cross-origin isolation (COOP + COEP) lets the page use SharedArrayBuffer, so tfjs's wasm backend can run threads.
const SECURITY_HEADERS = {
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-embedder-policy": "require-corp",
  "content-security-policy": "default-src 'self'; script-src 'self' blob: 'unsafe-eval' 'wasm-unsafe-eval'; worker-src 'self' blob:; connect-src 'self'; img-src 'self' blob: data:; media-src 'self' blob: mediastream:; style-src 'self' 'unsafe-inline'",
  "x-content-type-options": "nosniff",
  "cache-control": "no-store",
};

/**
 * Checks the run, bundles the page, and starts serving on 127.0.0.1.
 *
 * @param options See {@linkcode LiveServerOptions}.
 * @returns The server's address and a way to stop it.
 * @throws {ConfigError} When the run does not exist, has no model, or its model needs files the browser cannot load (a graph backbone).
 * @example
 * ```ts
 * const server = await startLiveServer({ resultsRoot: "results", runId: "20261202-035623-capstone_cnn-8c8ac1", port: 0 });
 * console.log(server.url);
 * await server.close();
 * ```
 */
export async function startLiveServer(options: LiveServerOptions): Promise<LiveServer> {
  const run = await openRun(options.resultsRoot, options.runId);
  const config = await readRunJson<RunConfig & { kind?: string }>(run, "config");
  if (!config?.dataset || config.kind === "ensemble") {
    throw new ConfigError(`Run ${options.runId} is not a single-model run; pass a run with model/model.json (deno task fer list)`);
  }
  const modelDir = runPath(run, "model");
  let modelJson: string;
  try {
    modelJson = await readFile(join(modelDir, "model.json"), "utf8");
  } catch {
    throw new ConfigError(`Run ${options.runId} has no saved model (${join(modelDir, "model.json")} is missing); pick a finished run from deno task fer list`);
  }
  if (modelJson.includes('"FerGraphModelLayer"')) {
    throw new ConfigError(
      `Run ${options.runId}'s model holds a graph backbone (human-models), which the browser page cannot load; ` +
        "use a CNN run or a face_api transfer run with fer live, or analyse files with fer video",
    );
  }
  const weightFiles = new Set((JSON.parse(modelJson) as { weightsManifest: { paths: string[] }[] }).weightsManifest.flatMap((group) => group.paths));
  const projectRoot = options.projectRoot ?? ".";
  const detectorDir = join(projectRoot, FACE_API_MODEL_DIR);
  const detectorManifest = await readFile(join(detectorDir, `${FACE_DETECTOR_MODEL}-weights_manifest.json`), "utf8");
  const detectorFiles = new Set((JSON.parse(detectorManifest) as { paths: string[] }[]).flatMap((group) => group.paths));
  const liveConfig: LiveConfig = {
    runId: options.runId,
    classes: config.dataset.classes,
    size: config.dataset.size,
    channels: config.dataset.channels as 1 | 3,
    preprocessing: config.dataset.preprocessing,
    equalize: config.dataset.equalize,
    inputSize: options.inputSize ?? 320,
    detectEvery: options.detectEvery ?? 6,
    backend: livePageBackend(options.backend ?? "auto"),
  };
  // The page builds the same rule; a bad interval fails here, before anything is served.
  redetectRule({ every: liveConfig.detectEvery });
  const page = await readFile(fileURLToPath(new URL("./live_page/index.html", import.meta.url)), "utf8");
  const script = await bundleLivePage();

  const respond = (body: BodyInit, type: string) => new Response(body, { headers: { "content-type": type, ...SECURITY_HEADERS } });
  const handler = async (request: Request): Promise<Response> => {
    if (request.method !== "GET" && request.method !== "HEAD") return new Response("Only GET: this server accepts no data\n", { status: 405 });
    const path = new URL(request.url).pathname;
    if (path === "/" || path === "/index.html") return respond(page, "text/html; charset=utf-8");
    if (path === "/app.js") return respond(script, "text/javascript; charset=utf-8");
    if (path === "/config.json") return respond(JSON.stringify(liveConfig), "application/json");
    if (path === "/model/model.json") return respond(modelJson, "application/json");
    if (path === "/detector/manifest.json") return respond(detectorManifest, "application/json");
    const [, folder, file] = path.split("/");
    if (folder === "model" && weightFiles.has(file)) return respond(await Deno.readFile(join(modelDir, file)), "application/octet-stream");
    if (folder === "detector" && detectorFiles.has(file)) return respond(await Deno.readFile(join(detectorDir, file)), "application/octet-stream");
    if (folder === "wasm" && WASM_FILES.includes(file)) return respond(await Deno.readFile(join(projectRoot, WASM_DIR, file)), "application/wasm");
    return new Response("Not found\n", { status: 404 });
  };
  const server = Deno.serve({ hostname: "127.0.0.1", port: options.port ?? 8765, onListen: () => {} }, handler);
  const address = server.addr as Deno.NetAddr;
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () => server.shutdown(),
  };
}
