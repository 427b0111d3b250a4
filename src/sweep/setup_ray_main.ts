/**
 * Entry point of `deno task setup:ray [--undo] [--python PATH]`; see setup_ray.ts.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { BackendError } from "../core/errors.ts";
import { setupRay, undoRay } from "./setup_ray.ts";

const USAGE = "Usage: deno task setup:ray [--undo] [--python PATH]\n" +
  "  Installs Ray (PyPI's ray[default]) into .ray/venv for fer sweep --engine ray on this machine.\n" +
  "  --undo    remove .ray/ (stop Ray first: .ray/venv/bin/ray stop)\n" +
  "  --python  the Python 3.9-3.13 that creates the virtual environment (default python3)";

try {
  const { values } = parseArgs({ args: Deno.args, options: { undo: { type: "boolean" }, python: { type: "string" }, help: { type: "boolean" } } });
  if (values.help) console.log(USAGE);
  else if (values.undo) await undoRay(Deno.cwd());
  else await setupRay(Deno.cwd(), { python: values.python });
} catch (error) {
  const known = error instanceof BackendError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
  console.error(known ? `Error: ${(error as Error).message}\n\n${USAGE}` : error);
  Deno.exit(1);
}
