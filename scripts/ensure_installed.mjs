// Installs what `npm start` (the main job) or `npm test` needs, once, on a fresh
// machine, so a newcomer types one command for each. Plain Node on purpose: it
// runs before `npm ci` has brought Deno. Each step is skipped when its result is
// already there, so on a set-up machine (and in .ci/run) this costs a few stat calls.
//
//   node scripts/ensure_installed.mjs main|test
//
// Steps: 1. npm ci when node_modules is missing or older than package-lock.json;
// 2. the native TensorFlow backend (deno task setup:native: TensorFlow from PyPI and
//    tfjs-node built against it, 3-4x faster training than wasm) unless
//    FER_NO_NATIVE=1; a failure is remembered in .cache/setup-native-failed.txt
//    and not retried (delete that file to retry): the workbench then runs on wasm
//    and says how to get the native backend;
// 3. for the tests only, the pinned human-models files (deno task fetch:models).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const purpose = process.argv[2];
if (purpose !== "main" && purpose !== "test") {
  console.error("Usage: node scripts/ensure_installed.mjs main|test");
  process.exit(2);
}

const at = (...parts) => join(root, ...parts);
const mtime = (path) => (existsSync(path) ? statSync(path).mtimeMs : -Infinity);
const deno = at("node_modules", ".bin", "deno");

function run(what, command, args) {
  console.error(`[setup] ${what}: ${[command, ...args].join(" ")}`);
  return spawnSync(command, args, { cwd: root, stdio: "inherit" }).status === 0;
}

// 1. Dependencies. npm's own record of the installed tree is newer than the lock file after a good install.
if (!existsSync(deno) || mtime(at("node_modules", ".package-lock.json")) < mtime(at("package-lock.json"))) {
  if (!run("installing the dependencies", "npm", ["ci", "--no-audit", "--no-fund"])) {
    console.error("[setup] npm ci failed: see its output above (network? Node.js 20+?), then run this command again");
    process.exit(1);
  }
}

// 2. The native backend: optional, so a failure is reported once and the command goes on.
const binding = at("node_modules", "@tensorflow", "tfjs-node", "lib", "napi-v8", "tfjs_binding.node");
const bindingGpu = at("node_modules", "@tensorflow", "tfjs-node-gpu", "lib", "napi-v8", "tfjs_binding.node");
const failedMarker = at(".cache", "setup-native-failed.txt");
if (process.env.FER_NO_NATIVE !== "1" && !existsSync(binding) && !existsSync(bindingGpu) && !existsSync(failedMarker)) {
  console.error("[setup] the native TensorFlow backend is not built; building it (about 1 minute plus a ~250 MB download; FER_NO_NATIVE=1 skips)");
  if (!run("building the native backend", deno, ["task", "setup:native"])) {
    mkdirSync(dirname(failedMarker), { recursive: true });
    writeFileSync(failedMarker, `deno task setup:native failed on ${new Date().toISOString()}; see its output. Delete this file to retry.\n`);
    console.error(`[setup] the native backend could not be built (see above); going on with wasm. Delete ${failedMarker} to retry.`);
  }
}

// 3. Models for the transfer-learning tests and baselines (checksummed; a no-op when present).
if (purpose === "test" && !existsSync(at(".cache", "models", "human-models"))) {
  if (!run("fetching the pinned models", deno, ["task", "fetch:models"])) {
    console.error("[setup] fetching the models failed: the tests that need them will say so and be skipped");
  }
}
