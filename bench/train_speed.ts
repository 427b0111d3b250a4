/**
 * Training and inference speed of small_cnn, capstone_cnn (the net of the
 * best_* configs) and vgg_like (48x48x1, 4 classes) on every available tfjs
 * backend, next to PyTorch on the same machine.
 *
 *     npx deno run -A bench/train_speed.ts [--backends wasm,webgpu,cpu,tensorflow,tensorflow-bf16]
 *         [--steps N] [--warmup N] [--max-seconds S] [--threads N]
 *
 * `tensorflow-bf16` is native TensorFlow with `precision: "bf16"` (oneDNN's
 * BF16 math, src/backend/math_precision.ts). oneDNN fixes its mode per
 * process, so those rows are measured in a child process of this script; by
 * default they run when the CPU has bf16 units (amx_bf16 or avx512_bf16).
 *
 * Training: images/s of one SGD step on a batch of 32 (forward, backward,
 * update, loss read back). Inference: images/s of predict on batches of 1 and
 * 64, result read back. Warm-up steps (kernel compilation, buffer pools) are
 * excluded. A measurement stops after --steps
 * timed steps or once --max-seconds have passed, whichever comes first (at
 * least one step), so slow backends (cpu, webgpu on a software adapter) finish.
 * PyTorch runs bench/pytorch_reference.py with Debian's /usr/bin/python3 and
 * the same thread count. The last line reads
 * `ratio wasm/pytorch: small=<x> vgg=<y>` (training images/s).
 *
 * The bound: each backend's peak GFLOP/s (the best of a large matMul and the
 * forward convs of VGG's layer shapes) and what it implies for training: a
 * step can go no faster than its convolution and dense FLOPs
 * (bench/_model_flops.ts) all at that peak. Printed as images/s and as a ratio to PyTorch's measured
 * training speed: where that ratio is below a target, no kernel work on that
 * backend reaches the target on this machine.
 */
import * as tf from "@tensorflow/tfjs";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";
import { selectBackend } from "../src/backend/select_backend.ts";
import { findWebGpuAdapter } from "../src/backend/_find_webgpu_adapter.ts";
import { loadTfjsNode } from "../src/backend/_load_tfjs_node.ts";
import { cpuBf16Flags } from "../src/backend/math_precision.ts";
import { trainingStep } from "../src/train/training_step.ts";
import { WeightAverage } from "../src/train/weight_average.ts";
import type { BackendName } from "../src/backend/backend_info.ts";
import { buildModel } from "../src/models/mod.ts";
import { trainingFlopsPerImage } from "./_model_flops.ts";
import { measurePeakGflops } from "./_peak_gflops.ts";

const PYTHON = "/usr/bin/python3";
const MODELS = ["small_cnn", "capstone_cnn", "vgg_like"] as const;
const SHORT: Record<typeof MODELS[number], string> = { small_cnn: "small", capstone_cnn: "capstone", vgg_like: "vgg" };
/** The bench's name for native TensorFlow computing in bf16; measured in a child process. */
const TENSORFLOW_BF16 = "tensorflow-bf16";
/** `trainAveraged`: training with `training.weightAverage` (the average updated after every step); null for PyTorch. */
type Row = { backend: string; model: string; train: number; trainAveraged: number | null; infer1: number; infer64: number; steps: number };
/** Peak matMul GFLOP/s per tfjs backend. */
const peakGflops = new Map<string, number>();

const { values } = parseArgs({
  args: Deno.args,
  options: {
    backends: { type: "string" },
    steps: { type: "string", default: "10" },
    warmup: { type: "string", default: "2" },
    "max-seconds": { type: "string", default: "20" },
    threads: { type: "string", default: "2" },
    // Internal: this process is the child that measures tensorflow-bf16 and prints its rows as JSON.
    "bf16-child": { type: "boolean", default: false },
  },
});
const steps = positiveInteger("steps", values.steps);
const warmup = positiveInteger("warmup", values.warmup, 0);
const maxSeconds = positiveInteger("max-seconds", values["max-seconds"]);
const threads = positiveInteger("threads", values.threads);

function positiveInteger(name: string, text: string | undefined, min = 1): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) {
    console.error(`--${name} ${text} is not an integer of at least ${min}; pass for example --${name} 10`);
    Deno.exit(2);
  }
  return value;
}

type BenchBackend = BackendName | typeof TENSORFLOW_BF16;

/** Backends to run: the ones asked for, or every available one but cpu (about 0.4 images/s). */
async function chooseBackends(): Promise<BenchBackend[]> {
  if (values.backends) return values.backends.split(",").map((b) => b.trim()) as BenchBackend[];
  const found: BenchBackend[] = [];
  if ((await loadTfjsNode()).loaded) {
    found.push("tensorflow");
    if (cpuBf16Flags().length > 0) found.push(TENSORFLOW_BF16);
  }
  found.push("wasm");
  if ((await findWebGpuAdapter()).found) found.push("webgpu");
  console.log(`Backends: ${found.join(", ")} (cpu is left out by default: add --backends ${found.join(",")},cpu)`);
  return found;
}

/**
 * Images per second of `run` (each call handles `batch` images), warm-up
 * excluded. On a slow backend (first warm-up step over a quarter of the time
 * budget) one warm-up step is enough: it has compiled every kernel.
 */
async function imagesPerSecond(run: () => Promise<unknown>, batch: number, timedSteps: number): Promise<[number, number]> {
  for (let i = 0; i < warmup; i++) {
    const started = performance.now();
    await run();
    if (performance.now() - started > (maxSeconds * 1000) / 4) break;
  }
  const started = performance.now();
  let done = 0;
  while (done < timedSteps && (done === 0 || performance.now() - started < maxSeconds * 1000)) {
    await run();
    done++;
  }
  return [(batch * done) / ((performance.now() - started) / 1000), done];
}

async function measure(backend: string, family: typeof MODELS[number]): Promise<Row> {
  const model = buildModel({ family, inputShape: [48, 48, 1], numClasses: 4, seed: 0 });
  const x = tf.randomUniform([32, 48, 48, 1], 0, 1, "float32", 1);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: 32 }, (_, i) => i % 4), "int32"), 4) as tf.Tensor2D);
  const optimizer = tf.train.sgd(0.01);
  const [train, trainSteps] = await imagesPerSecond(() => trainingStep(model, { x, y }, { optimizer }), 32, steps);
  const average = new WeightAverage(model, { decay: 0.999 });
  const [trainAveraged] = await imagesPerSecond(async () => {
    await trainingStep(model, { x, y }, { optimizer });
    average.update();
  }, 32, steps);
  average.dispose();
  const infer = async (batch: number) => {
    const input = tf.randomUniform([batch, 48, 48, 1], 0, 1, "float32", 2);
    const predict = async () => {
      const out = model.predict(input) as tf.Tensor;
      await out.data();
      out.dispose();
    };
    // Inference steps are cheap: time more of them for a steadier figure.
    const [rate] = await imagesPerSecond(predict, batch, steps * 4);
    input.dispose();
    return rate;
  };
  const row = { backend, model: family, train, trainAveraged, infer1: await infer(1), infer64: await infer(64), steps: trainSteps };
  tf.dispose([x, y]);
  optimizer.dispose();
  model.dispose();
  return row;
}

async function runPytorch(): Promise<Row[] | string> {
  const script = fileURLToPath(new URL("./pytorch_reference.py", import.meta.url));
  const args = [script, "--steps", String(steps), "--warmup", String(warmup), "--threads", String(threads)];
  try {
    const { stdout } = await promisify(execFile)(PYTHON, args, { maxBuffer: 1 << 20 });
    return stdout.trim().split("\n").map((line) => {
      const r = JSON.parse(line);
      return { backend: `pytorch ${r.torch}`, model: r.model, train: r.train_ips, trainAveraged: null, infer1: r.infer1_ips, infer64: r.infer64_ips, steps };
    });
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    const last = (stderr ?? "").trim().split("\n").at(-1) || message;
    return `PyTorch reference unavailable (${PYTHON} ${script}): ${last}`;
  }
}

/**
 * Measures every model and the peak on one backend of this process; with what its kernels computed in (the
 * tensorflow-bf16 rows are float32 where oneDNN ignores BF16 mode).
 */
async function measureBackend(backend: BenchBackend, log: (line: string) => void): Promise<{ rows: Row[]; precision: string }> {
  const bf16 = backend === TENSORFLOW_BF16;
  const info = await selectBackend(bf16 ? "tensorflow" : backend, { threads, log, precision: bf16 ? "bf16" : "float32" });
  const measured: Row[] = [];
  for (const family of MODELS) {
    measured.push(await measure(backend, family));
    log(`  ${family} on ${backend} done`);
  }
  peakGflops.set(backend, await measurePeakGflops());
  return { rows: measured, precision: `${info.precision.used}: ${info.precision.note}` };
}

/**
 * The tensorflow-bf16 rows, measured by this script in a fresh process (the
 * oneDNN mode of this one is fixed once it computes), or why they are missing.
 */
async function runBf16Child(): Promise<{ rows: Row[]; peak: number; precision: string } | string> {
  const script = fileURLToPath(import.meta.url);
  const args = ["run", "-A", script, "--bf16-child", "--steps", String(steps), "--warmup", String(warmup),
    "--max-seconds", String(maxSeconds), "--threads", String(threads)];
  try {
    const { stdout } = await promisify(execFile)(Deno.execPath(), args, { maxBuffer: 1 << 22 });
    return JSON.parse(stdout.trim().split("\n").at(-1)!);
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    return `${TENSORFLOW_BF16} rows unavailable: ${(stderr ?? "").trim().split("\n").at(-1) || message}`;
  }
}

if (values["bf16-child"]) {
  // Progress to stderr, the rows as one JSON line on stdout for the parent.
  const { rows: measured, precision } = await measureBackend(TENSORFLOW_BF16, (line) => console.error(line));
  console.log(JSON.stringify({ rows: measured, peak: peakGflops.get(TENSORFLOW_BF16), precision }));
  Deno.exit(0);
}

// PyTorch first, and the bf16 child, while this process has started no backend: a
// started one keeps threads alive (TensorFlow's pool, wasm's workers) that took CPU
// from PyTorch when it ran last (its small-CNN figure dropped from about 600 to 400).
const torch = await runPytorch();
const backends = await chooseBackends();
const bf16Child = backends.includes(TENSORFLOW_BF16) ? await runBf16Child() : null;
const rows: Row[] = [];
for (const backend of backends) {
  if (backend === TENSORFLOW_BF16) {
    if (bf16Child === null || typeof bf16Child === "string") continue;
    rows.push(...bf16Child.rows);
    peakGflops.set(backend, bf16Child.peak);
    continue;
  }
  rows.push(...(await measureBackend(backend, console.log)).rows);
}
if (typeof bf16Child === "string") console.log(bf16Child);
else if (bf16Child !== null) console.log(`${TENSORFLOW_BF16} computed in ${bf16Child.precision}`);
if (typeof torch === "string") console.log(torch);
else rows.push(...torch);

const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)).padStart(9);
console.log(`\nimages/s, 48x48x1, 4 classes, ${threads} threads; up to ${warmup} warm-up steps excluded`);
console.log("backend               model       train b32  +avg b32  infer b1  infer b64  timed train steps");
for (const r of rows) {
  const averaged = r.trainAveraged === null ? "        -" : fmt(r.trainAveraged);
  console.log(`${r.backend.padEnd(21)} ${r.model.padEnd(10)} ${fmt(r.train)} ${averaged} ${fmt(r.infer1)} ${fmt(r.infer64)}  ${r.steps}`);
}
// "+avg": the same steps with training.weightAverage's update after each; its cost as a ratio, measured in this run.
const averagedRows = rows.filter((r) => r.trainAveraged !== null);
if (averagedRows.length > 0) {
  console.log(`weight average, train +avg / train: ${averagedRows.map((r) => `${r.backend} ${SHORT[r.model as typeof MODELS[number]]}=${(r.trainAveraged! / r.train).toFixed(2)}`).join(" ")}`);
}
// Counting FLOPs builds the models; with only tensorflow-bf16 asked (measured in the child) this process has no
// backend yet, and tfjs would fall to an uninitialised wasm.
if (!backends.some((backend) => backend !== TENSORFLOW_BF16)) await selectBackend("cpu");
const flops = Object.fromEntries(MODELS.map((family) => {
  const model = buildModel({ family, inputShape: [48, 48, 1], numClasses: 4, seed: 0 });
  const perImage = trainingFlopsPerImage(model);
  model.dispose();
  return [family, perImage];
})) as Record<typeof MODELS[number], number>;
console.log(
  `\nbound: training images/s if every conv and dense FLOP ran at the backend's peak (per image: ` +
    MODELS.map((m) => `${SHORT[m]} ${(flops[m] / 1e9).toFixed(2)} G`).join(", ") + ")",
);
for (const [backend, gflops] of peakGflops) {
  const bound = (m: typeof MODELS[number]) => (gflops * 1e9) / flops[m];
  const torchRow = (m: string) => typeof torch === "string" ? undefined : torch.find((r) => r.model === m);
  const vsTorch = (m: typeof MODELS[number]) =>
    torchRow(m) === undefined ? "" : ` (${(bound(m) / torchRow(m)!.train).toFixed(2)}x pytorch)`;
  console.log(`${backend.padEnd(16)} peak ${fmt(gflops)} GFLOP/s: ` + MODELS.map((m) => `${SHORT[m]} <= ${fmt(bound(m)).trim()}${vsTorch(m)}`).join(", "));
}
if (typeof torch !== "string") {
  const reference = (model: string) => torch.find((r) => r.model === model)!.train;
  const tfjsBackends = [...new Set(rows.filter((r) => !r.backend.startsWith("pytorch")).map((r) => r.backend))];
  // wasm last: its line is the one CI and the README read.
  tfjsBackends.sort((a, b) => Number(a === "wasm") - Number(b === "wasm"));
  for (const backend of tfjsBackends) {
    const ratio = (model: typeof MODELS[number]) =>
      `${SHORT[model]}=${(rows.find((r) => r.backend === backend && r.model === model)!.train / reference(model)).toFixed(2)}`;
    // PyTorch's reference has the small CNN and VGG only.
    const compared = MODELS.filter((m) => torch.some((r) => r.model === m));
    console.log(`ratio ${backend}/pytorch: ${compared.map(ratio).join(" ")}`);
  }
}
