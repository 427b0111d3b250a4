/**
 * Checks a native setup the way a run uses it: a fresh Deno process selects
 * the `tensorflow` backend, trains one step of a small CNN, and reports the
 * TensorFlow version and devices. A fresh process, because a broken addon can
 * abort the process that loads it.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { BackendError } from "../errors.ts";
import { runCommand } from "./run_command.ts";

/** What the check saw. */
export interface NativeCheck {
  /** TensorFlow's own version string (TF_Version). */
  tensorflowVersion: string;
  /** tfjs-node's package version. */
  tfjsNodeVersion: string;
  /** Whether TensorFlow runs the ops on a GPU. */
  usesGpu: boolean;
  /** Wall time of one training step, after a warm-up step. */
  stepMilliseconds: number;
}

const CHECK_SCRIPT = fileURLToPath(new URL("./_native_check_script.ts", import.meta.url));

/**
 * Runs the check.
 *
 * @param projectRoot The checkout's root folder (its node_modules is used).
 * @returns What the check saw.
 * @throws BackendError with the child's output when it fails.
 * @example
 * ```ts
 * const check = await verifyNativeBackend(Deno.cwd());
 * ```
 */
export async function verifyNativeBackend(projectRoot: string): Promise<NativeCheck> {
  const output = await runCommand(Deno.execPath(), ["run", "-A", CHECK_SCRIPT], { cwd: projectRoot, quiet: true });
  const line = output.split("\n").find((l) => l.startsWith("NATIVE_CHECK "));
  if (!line) throw new BackendError(`The tensorflow backend check printed no result:\n${output.trim()}`);
  return JSON.parse(line.slice("NATIVE_CHECK ".length)) as NativeCheck;
}
