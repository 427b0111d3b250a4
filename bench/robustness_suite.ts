/**
 * Times the robustness suite (every perturbation x 5 severities) on a split:
 * perturbing (JavaScript, one thread) and predicting (the backend) apart.
 *
 * Usage: `npx deno run -A bench/robustness_suite.ts [root] [--run ID] [--family F] [--backend NAME] [--split NAME] [--limit N]`
 * (--limit N times a stratified subset and also prints the time scaled to 2,570 images)
 * (root defaults to ../shared/data/facial_emotion_images beside the repository;
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
import { measureRobustness } from "../src/robustness/measure_robustness.ts";
import { PERTURBATIONS } from "../src/robustness/perturbation_suite.ts";

const TARGET_S = 600;
const FULL_VALIDATION = 2570;
const here = dirname(fileURLToPath(import.meta.url));
const args = [...Deno.args];
const option = (name: string): string | undefined => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args.splice(at, 2)[1] : undefined;
};
const runId = option("run");
const family = option("family") ?? "capstone_cnn";
const backendName = option("backend") ?? "auto";
const split = option("split") ?? "validation";
const limit = option("limit");
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

const started = performance.now();
const measured = await measureRobustness(model, set, {
  classes: config.dataset.classes,
  preprocessing: config.dataset.preprocessing,
  blurSigma: config.dataset.evalBlurSigma ?? 0,
  perturbations: PERTURBATIONS,
  seed: 42,
  onPerturbation: (p, accuracies, spent) =>
    console.log(
      `  ${p.name.padEnd(16)} ${accuracies.map((a) => a.toFixed(3)).join(" ")}  ` +
        `(so far ${((performance.now() - started) / 1000).toFixed(0)} s: perturbing ${spent.perturbSeconds.toFixed(0)} s, predicting ${spent.predictSeconds.toFixed(0)} s)`,
    ),
});
const seconds = (performance.now() - started) / 1000;
const evaluations = measured.results.length + 1;
console.log(`model        ${runId ?? `${family} (untrained)`}, backend ${backend.name}; load average ${loadavg().map((v) => v.toFixed(1)).join(" ")} on ${cpus().length} cores`);
console.log(`images       ${set.count} (${split} of ${root})`);
console.log(`suite        ${PERTURBATIONS.length} perturbations x 5 severities + clean = ${evaluations} evaluations, ${evaluations * set.count} predictions`);
console.log(`perturbing   ${measured.perturbSeconds.toFixed(1)} s (${Math.round((evaluations - 1) * set.count / measured.perturbSeconds)} images/s)`);
console.log(`predicting   ${measured.predictSeconds.toFixed(1)} s (${Math.round(evaluations * set.count / measured.predictSeconds)} images/s)`);
const full = set.count >= FULL_VALIDATION;
console.log(`total        ${seconds.toFixed(1)} s${full ? `; target < ${TARGET_S} s: ${seconds < TARGET_S ? "PASS" : "MISS"}` : ""}`);
if (!full) {
  // Time grows linearly with the images (each is perturbed and predicted on its own).
  const scaled = (seconds * FULL_VALIDATION) / set.count;
  console.log(`scaled       ${scaled.toFixed(0)} s for ${FULL_VALIDATION} images at this rate (linear in images); target < ${TARGET_S} s: ${scaled < TARGET_S ? "PASS" : "MISS"}`);
}
model.dispose();
