/**
 * Checks a native setup the way a run uses it: a fresh Deno process selects
 * the `tensorflow` backend, trains one step of a small CNN, and reports the
 * TensorFlow version and devices. A fresh process, because a broken addon can
 * abort the process that loads it.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { BackendError } from "../core/errors.ts";
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
  /** TensorFlow's version as Node sees it through the same addon, or why Node could not check. */
  node: { tensorflowVersion: string } | { skipped: string };
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
export async function verifyNativeBackend(projectRoot: string, packageName = "@tensorflow/tfjs-node"): Promise<NativeCheck> {
  const output = await runCommand(Deno.execPath(), ["run", "-A", CHECK_SCRIPT], { cwd: projectRoot, quiet: true });
  const line = output.split("\n").find((l) => l.startsWith("NATIVE_CHECK "));
  if (!line) throw new BackendError(`The tensorflow backend check printed no result:\n${output.trim()}`);
  return { ...JSON.parse(line.slice("NATIVE_CHECK ".length)), node: await checkUnderNode(projectRoot, packageName) };
}

// The same addon from Node: a matMul on the tensorflow backend, TF_Version printed.
async function checkUnderNode(projectRoot: string, packageName: string): Promise<NativeCheck["node"]> {
  const script = `const tf = require(${JSON.stringify(packageName)});` +
    "const y = tf.matMul(tf.ones([2, 2]), tf.ones([2, 2])).dataSync();" +
    "if (tf.getBackend() !== 'tensorflow' || y[0] !== 2) throw new Error('wrong result on ' + tf.getBackend());" +
    "console.log('NODE_TF ' + tf.backend().binding.TF_Version);";
  let output: string;
  try {
    output = await runCommand("node", ["-e", script], { cwd: projectRoot, quiet: true });
  } catch (error) {
    if ((error as Error).message.startsWith('Could not start "node')) return { skipped: "node is not installed" };
    throw error;
  }
  const version = /^NODE_TF (.+)$/m.exec(output)?.[1];
  if (!version) throw new BackendError(`The Node check of ${packageName} printed no TensorFlow version:\n${output.trim()}`);
  return { tensorflowVersion: version };
}
