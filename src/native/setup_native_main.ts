/**
 * Entry point of `deno task setup:native [--gpu] [--undo] [--python PATH]`.
 * See setup_native.ts for the steps.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { BackendError } from "../core/errors.ts";
import { setupNative } from "./setup_native.ts";
import { undoNative } from "./undo_native.ts";

const USAGE = "Usage: deno task setup:native [--gpu] [--undo] [--python PATH]\n" +
  "  Installs TensorFlow from PyPI into .native/ and builds tfjs-node against it (the `tensorflow` backend).\n" +
  "  --gpu     the CUDA 12 flavour: tensorflow[and-cuda] and tfjs-node-gpu\n" +
  "  --undo    remove what the setup added\n" +
  "  --python  the Python 3.9-3.12 that creates the virtual environment (default python3)";

try {
  const { values } = parseArgs({
    args: Deno.args,
    options: { gpu: { type: "boolean" }, undo: { type: "boolean" }, python: { type: "string" }, help: { type: "boolean" } },
  });
  if (values.help) {
    console.log(USAGE);
  } else if (values.undo) {
    await undoNative(Deno.cwd(), { gpu: values.gpu ?? false });
  } else {
    await setupNative(Deno.cwd(), { gpu: values.gpu ?? false, python: values.python });
  }
} catch (error) {
  const known = error instanceof BackendError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
  console.error(known ? `Error: ${(error as Error).message}\n\n${USAGE}` : error);
  Deno.exit(1);
}
