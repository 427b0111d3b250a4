/**
 * `deno task fer live`: the live webcam page.
 *
 * @module
 */
import process from "node:process";
import { ConfigError } from "../core/errors.ts";
import { livePageBackend } from "../video/live_config.ts";
import { startLiveServer } from "../video/live_server.ts";
import type { CliCommand } from "./cli_command.ts";
import { parseArgs } from "./parse_args.ts";
import { detectEveryFromFlags, modelRunFromFlag } from "./video_cli_options.ts";
import { workbenchPaths } from "./workbench_paths.ts";

const HELP = `Usage: deno task fer live [--model RUN-ID] [--port N] [--input-size N] [--detect-every N] [--backend NAME]

Serves a local web page on http://127.0.0.1:<port>/ that opens your webcam,
finds faces and classifies their emotion in the browser (tfjs on WebGL),
draws boxes and labels, plots the timeline live, shows the fps and lets you
download the timeline as CSV. Nothing leaves the browser: the server only
hands out the page and the model files, accepts no data, and no frame is
stored. Open the address in Chrome, Edge or Firefox and allow the camera.
Ctrl-C stops the server.

  --model       a run id (deno task fer list; default: the newest completed run
                with a saved model); CNN and face_api transfer runs work, graph backbones do not
  --port        port on 127.0.0.1 (default 8765; 0 picks a free one)
  --input-size  face detector input, a multiple of 32 (default 320; 160 is faster,
                with looser boxes)
  --detect-every  most frames between two detector runs (default 6); sooner when
                the picture or a face changes, as in fer video; 1 detects on
                every frame
  --backend     tfjs backend in the page: auto (default: WebGL on a GPU, wasm where
                WebGL would render in software, e.g. no GPU), webgl, wasm or cpu

Example: deno task fer live --model 20261202-035623-capstone_cnn-8c8ac1
`;

/** The `live` command. */
export const liveCommand: CliCommand = {
  summary: "Live webcam page: emotion per face in the browser, nothing uploaded",
  help: HELP,
  async run(args, io) {
    const parsed = parseArgs(args, { command: "live", flags: { model: "string", port: "string", "input-size": "string", "detect-every": "string", backend: "string" }, positionals: [0, 0] });
    if (parsed.help) {
      io.out(HELP);
      return 0;
    }
    const port = typeof parsed.flags.port === "string" ? Number(parsed.flags.port) : 8765;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`Option --port is "${parsed.flags.port}"; pass a port from 0 to 65535, e.g. 8765`);
    const inputSize = typeof parsed.flags["input-size"] === "string" ? Number(parsed.flags["input-size"]) : 320;
    if (!Number.isInteger(inputSize) || inputSize % 32 !== 0 || inputSize < 64 || inputSize > 608) {
      throw new ConfigError(`Option --input-size is "${parsed.flags["input-size"]}"; pass a multiple of 32 from 64 to 608, e.g. 320`);
    }
    const detectEvery = detectEveryFromFlags(parsed.flags);
    const backend = livePageBackend(typeof parsed.flags.backend === "string" ? parsed.flags.backend : "auto");
    const { resultsRoot, projectRoot } = workbenchPaths(io.env);
    const runId = await modelRunFromFlag(parsed.flags, resultsRoot, io);
    io.err("Bundling the page ...\n");
    const server = await startLiveServer({ resultsRoot, runId, projectRoot, port, inputSize, detectEvery, backend });
    io.out(`Live page: ${server.url} (model ${runId}); open it in a browser and allow the camera. Ctrl-C stops.\n`);
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        resolve();
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
    await server.close();
    io.err("Live server stopped\n");
    return 0;
  },
};
