/**
 * Times the robustness suite (every perturbation x 5 severities) on a split,
 * the fast path (`measureRobustness`: each distinct image predicted once, in
 * batches of 64, clean predictions reused) against the old path
 * (`bench/_robustness_reference.ts`: every copy predicted through
 * evaluateLoss in batches of 256) in the same process, interleaved
 * perturbation by perturbation so both see the same machine load, and checks
 * that both give every image the same predicted class.
 *
 * Usage: `npx deno run -A bench/robustness_suite.ts [root] [--run ID] [--family F] [--backend NAME] [--split NAME] [--limit N] [--batch N] [--new-only]`
 * (--limit N times a stratified subset and also prints the time scaled to
 * 2,570 images; --new-only skips the old path, e.g. for the whole split;
 * root defaults to ../shared/data/facial_emotion_images beside the repository;
 * without --run an untrained model of family F, default capstone_cnn, is timed:
 * the time does not depend on the weights). Target for the 2,570 validation
 * images on the 2-core machine with the tensorflow backend: under 10 minutes.
 *
 * @module
 */
import { cpus, loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { selectBackend } from "../src/backend/select_backend.ts";
import { limitImageSet } from "../src/data/limit_image_set.ts";
import { loadDataset } from "../src/data/load_dataset.ts";
import { makeRng } from "../src/core/seed.ts";
import { datasetLoadOptions } from "../src/experiment/dataset_load_options.ts";
import { loadModel } from "../src/experiment/model_files.ts";
import { parseRunConfig, type RunConfig } from "../src/experiment/run_config.ts";
import { buildModel } from "../src/models/build_model.ts";
import { measureRobustness, ROBUSTNESS_BATCH_SIZE } from "../src/robustness/measure_robustness.ts";
import { PERTURBATIONS } from "../src/robustness/perturbation_suite.ts";
import { measureRobustnessReference } from "./_robustness_reference.ts";

const TARGET_S = 600;
const FULL_VALIDATION = 2570;
const here = dirname(fileURLToPath(import.meta.url));
const args = [...Deno.args];
const option = (name: string): string | undefined => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args.splice(at, 2)[1] : undefined;
};
const flag = (name: string): boolean => {
  const at = args.indexOf(`--${name}`);
  if (at >= 0) args.splice(at, 1);
  return at >= 0;
};
const runId = option("run");
const family = option("family") ?? "capstone_cnn";
const backendName = option("backend") ?? "auto";
const split = option("split") ?? "validation";
const limit = option("limit");
const batchSize = Number(option("batch") ?? ROBUSTNESS_BATCH_SIZE);
const newOnly = flag("new-only");
const root = args[0] ?? resolve(here, "../../shared/data/facial_emotion_images");

const backend = await selectBackend(backendName, { log: (line) => console.log(line) });
const config: RunConfig = runId
  ? JSON.parse(await Deno.readTextFile(join(here, "../results/runs", runId, "config.json")))
  : parseRunConfig({ name: "bench", model: { family } });
const dataset = await loadDataset(root, datasetLoadOptions(config, resolve(here, "../.cache/datasets")));
let set = split === "test" ? dataset.splits.test! : split === "train" ? dataset.splits.train : dataset.splits.validation;
if (limit !== undefined) set = limitImageSet(set, Number(limit), makeRng(0));
const section = config.model;
if (!runId && section.family === "transfer") throw new Error("Family transfer needs a trained run; pass --run <id>");
const model = runId || section.family === "transfer" ? await loadModel(join(here, "../results/runs", runId!, "model")) : buildModel({
  ...section,
  inputShape: [config.dataset.size, config.dataset.size, config.dataset.channels],
  numClasses: config.dataset.classes.length,
  seed: 0,
});
const common = {
  classes: config.dataset.classes,
  preprocessing: config.dataset.preprocessing,
  blurSigma: config.dataset.evalBlurSigma ?? 0,
  seed: 42,
};
const load = () => loadavg()[0].toFixed(1);
const loads: number[] = [];
const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
  const started = performance.now();
  const value = await work();
  loads.push(loadavg()[0]);
  return [value, (performance.now() - started) / 1000];
};
const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

// Clean split first (the old path predicts it, the new one keeps its probabilities for every perturbation).
const oldClean = newOnly ? null : await timed(() => measureRobustnessReference(model, set, { ...common, perturbations: [] }));
const [newClean, newCleanSeconds] = await timed(() => measureRobustness(model, set, { ...common, perturbations: [], batchSize, keepPredictions: true }));
let oldSeconds = oldClean?.[1] ?? 0, newSeconds = newCleanSeconds;
let newPerturb = newClean.perturbSeconds, newPredict = newClean.predictSeconds, oldPerturb = 0, oldPredict = oldClean?.[0].predictSeconds ?? 0;
let predictions = newClean.predictions, images = set.count, mismatches = 0, resultsDiffer = 0;
if (oldClean && !same(oldClean[0].predicted.clean, newClean.predicted!.clean)) mismatches++;
console.log(`${"perturbation".padEnd(16)} ${"accuracy at severity 1-5".padEnd(30)}   new s${newOnly ? "" : "   old s  ratio"}  predicted/images  load`);
for (const perturbation of PERTURBATIONS) {
  const [fresh, freshSeconds] = await timed(() =>
    measureRobustness(model, set, { ...common, perturbations: [perturbation], batchSize, cleanProbabilities: newClean.cleanProbabilities, keepPredictions: true })
  );
  newSeconds += freshSeconds;
  newPerturb += fresh.perturbSeconds;
  newPredict += fresh.predictSeconds;
  predictions += fresh.predictions;
  images += fresh.images - set.count;
  let old = "";
  if (!newOnly) {
    const [reference, referenceSeconds] = await timed(() => measureRobustnessReference(model, set, { ...common, perturbations: [perturbation], skipClean: true }));
    oldSeconds += referenceSeconds;
    oldPerturb += reference.perturbSeconds;
    oldPredict += reference.predictSeconds;
    reference.predicted.results.forEach((classes, i) => mismatches += same(classes, fresh.predicted!.results[i]) ? 0 : 1);
    resultsDiffer += JSON.stringify(reference.results) === JSON.stringify(fresh.results) ? 0 : 1;
    old = ` ${referenceSeconds.toFixed(1).padStart(7)} ${(referenceSeconds / freshSeconds).toFixed(2).padStart(6)}`;
  }
  console.log(
    `${perturbation.name.padEnd(16)} ${fresh.results.map((r) => r.accuracy.toFixed(3)).join(" ")}  ${freshSeconds.toFixed(1).padStart(7)}${old}` +
      `  ${fresh.predictions}/${fresh.images - set.count}  ${load()}`,
  );
}
const evaluations = PERTURBATIONS.length * 5 + 1;
const meanLoad = loads.reduce((a, b) => a + b, 0) / loads.length;
console.log(`model        ${runId ?? `${family} (untrained)`}, backend ${backend.name}; load average ${meanLoad.toFixed(1)} (mean over the run; now ${loadavg().map((v) => v.toFixed(1)).join(" ")}) on ${cpus().length} cores`);
console.log(`images       ${set.count} (${split} of ${root})`);
console.log(`suite        ${PERTURBATIONS.length} perturbations x 5 severities + clean = ${evaluations} evaluations, ${images} images scored`);
console.log(`new path     ${newSeconds.toFixed(1)} s: perturbing and finding repeats ${newPerturb.toFixed(1)} s, predicting ${newPredict.toFixed(1)} s ` +
  `(${predictions} distinct images predicted, ${images - predictions} reused; batches of ${batchSize}; ${Math.round(images / newSeconds)} images/s scored)`);
if (!newOnly) {
  console.log(`old path     ${oldSeconds.toFixed(1)} s: perturbing ${oldPerturb.toFixed(1)} s, predicting ${oldPredict.toFixed(1)} s (every image, batches of 256; ${Math.round(images / oldSeconds)} images/s)`);
  console.log(`speed-up     ${(oldSeconds / newSeconds).toFixed(2)}x (old / new, same process, interleaved per perturbation)`);
  console.log(`same output  ${mismatches === 0 && resultsDiffer === 0 ? "yes" : "NO"}: ${mismatches} of ${evaluations} evaluations with a different predicted class for some image, ${resultsDiffer} of ${PERTURBATIONS.length} perturbations with different scores`);
}
const full = set.count >= FULL_VALIDATION;
console.log(`total        ${newSeconds.toFixed(1)} s (new path)${full ? `; target < ${TARGET_S} s: ${newSeconds < TARGET_S ? "PASS" : "MISS"}` : ""}`);
if (!full) {
  // Time grows linearly with the images (each is perturbed and predicted on its own).
  const scaled = (newSeconds * FULL_VALIDATION) / set.count;
  console.log(`scaled       ${scaled.toFixed(0)} s for ${FULL_VALIDATION} images at this rate (linear in images); target < ${TARGET_S} s: ${scaled < TARGET_S ? "PASS" : "MISS"}`);
}
model.dispose();
