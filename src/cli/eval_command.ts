/**
 * `deno task fer eval <run> <dataset-root>`: a run's model on any dataset.
 *
 * @module
 */
import { join } from "node:path";
import { selectBackend } from "../backend/select_backend.ts";
import { backendFacts } from "../experiment/score_cache.ts";
import { passProgress } from "../train/progress_bar.ts";
import { ttaFromOption } from "../predict/tta_config.ts";
import { ttaViews } from "../predict/tta_views.ts";
import { ConfigError } from "../core/errors.ts";
import { type DatasetEvaluation, evaluateOnDataset } from "../experiment/evaluate_on_dataset.ts";
import { evaluateEnsembleOnDataset } from "../ensemble/evaluate_ensemble_on_dataset.ts";
import type { RunConfig } from "../experiment/run_config.ts";
import { openRun, readRunJson, runPath } from "../experiment/run_store.ts";
import { saveDatasetEvaluation } from "../experiment/save_dataset_evaluation.ts";
import { type CliCommand, progressOutput } from "./cli_command.ts";
import { parseArgs } from "./parse_args.ts";
import { nullIfStopped, SIGNAL_EXIT_CODES, untilStopped } from "./stop_signals.ts";
import { workbenchPaths } from "./workbench_paths.ts";
import { evalDetected } from "./detect_command.ts";
import { intervalText } from "../viz/interval_text.ts";
import { parseClassList } from "./parse_class_list.ts";

const HELP = `Usage: deno task fer eval <run-id> <dataset-root> [--split NAME] [--blur-sigma S] [--tta LIST] [--classes LIST] [--detect] [--json] [--backend NAME]

Evaluates the run's model (or ensemble) on a dataset in the folder layout
(<root>/<split>/<class>/<image>), decoded as in training: other sizes are
resized and colour images converted. Use it for cross-dataset checks. The
result is kept in the run folder (evaluations.json, one entry per dataset and
settings), and deno task fer compare shows it as a row per dataset. An ensemble
run is evaluated through its members (found in the results folder) and its saved
combiner, each member with its own TTA; --tta, --classes, --detect and
--blur-sigma are for single-model runs. Predictions are kept in the cache folder
(FER_CACHE, predictions/), keyed by the model, the images, the views and the
backend: the same evaluation again, or an ensemble of the run, reads them back.

  --split       train, validation or test (default: every split present)
  --blur-sigma  Gaussian blur of the inputs in pixels (default: the run's dataset.evalBlurSigma)
  --tta         test-time augmentation: average the probabilities over extra views,
                comma-separated: flip (mirror), shift (2 pixels each way), corners
                (4 pixels to each corner: with flip, the ten crops of a net with
                model.inputCrop 4), crop (five crops of 90%), e.g. --tta flip,shift,
                or none for the image alone
                (default: the run's config tta, which is none unless its config set one)
  --classes     score only these of the run's classes (2 or more), comma-separated, in
                the order the metrics list them: the model's other outputs are dropped and
                each probability row renormalised, e.g. a 7-class FER-2013 model on a 4-class
                dataset with --classes happy,sad,surprise,neutral (default: all the run's
                classes); kept in evaluations.json as its own entry ("4 of 7 classes")
  --detect      the images are uncropped photos: find each photo's face, crop it as
                the training faces are and classify that (fer detect's detector);
                a photo with no face found is classified whole, and counted;
                kept in evaluations.json as "faces detected"
  --json        print the metrics object as JSON instead of a summary
  --backend     auto, wasm, webgpu, tensorflow or cpu (default: the run's config)

Ctrl-C (or SIGTERM) stops the predictions after their current batch (with
--detect, after the current photo) and saves nothing (status 130, 143).

Example: deno task fer eval 20261124-091530-small_cnn-1a2b3c data/fer2013_4 --split test --tta flip
         deno task fer eval <fer2013-run> ../shared/data/facial_emotion_images --classes happy,sad,surprise,neutral
         deno task fer eval <ensemble-run> ../shared/data/facial_emotion_images --split test
`;

/** The `eval` command. */
export const evalCommand: CliCommand = {
  summary: "Evaluate a run's model on any dataset (cross-dataset checks)",
  help: HELP,
  async run(args, io) {
    const parsed = parseArgs(args, { command: "eval", flags: { split: "string", json: "boolean", backend: "string", "blur-sigma": "string", tta: "string", classes: "string", detect: "boolean" }, positionals: [2, 2] });
    if (parsed.help) {
      io.out(HELP);
      return 0;
    }
    // Absent: the run's own config tta; "none": one view.
    const tta = typeof parsed.flags.tta !== "string" ? undefined : ttaFromOption(parsed.flags.tta);
    const classes = typeof parsed.flags.classes === "string" ? parseClassList(parsed.flags.classes) : undefined;
    if (classes !== undefined && parsed.flags.detect === true) {
      throw new ConfigError("Options --classes and --detect do not combine; evaluate the detected faces with all the run's classes, or crop the faces first");
    }
    const { resultsRoot, cacheDir } = workbenchPaths(io.env);
    const run = await openRun(resultsRoot, parsed.positionals[0]);
    const config = await readRunJson<RunConfig | { kind: "ensemble"; backend?: string }>(run, "config");
    const ensemble = config !== undefined && "kind" in config && config.kind === "ensemble";
    const singleOnly = ["tta", "classes", "detect", "blur-sigma"].filter((flag) => parsed.flags[flag] !== undefined);
    if (ensemble && singleOnly.length > 0) {
      throw new ConfigError(
        `Run ${run.id} is an ensemble: --${singleOnly.join(", --")} ${singleOnly.length > 1 ? "are" : "is"} for single-model runs; ` +
          "evaluate the ensemble without, or its members one by one (model/ensemble.json lists them)",
      );
    }
    const backend = typeof parsed.flags.backend === "string" ? parsed.flags.backend : io.env?.FER_BACKEND ?? config?.backend ?? "auto";
    const backendInfo = await selectBackend(backend, { log: (line) => io.err(`${line}\n`) });
    const split = typeof parsed.flags.split === "string" ? [parsed.flags.split] : undefined;
    if (parsed.flags.detect === true) {
      return await evalDetected(run, parsed.positionals[1], { splits: split, json: parsed.flags.json === true, flags: parsed.flags, io });
    }
    const blur = parsed.flags["blur-sigma"];
    const blurSigma = typeof blur === "string" ? Number(blur) : undefined;
    if (blurSigma !== undefined && !(blurSigma >= 0)) {
      throw new ConfigError(`Option --blur-sigma is "${blur}"; pass a number of pixels >= 0, e.g. 4`);
    }
    const messages = {
      first: "stopping after the current batch; evaluations.json is left as it was",
      second: "evaluations.json is left as it was",
    };
    // A counter in a terminal, a line a minute in a log: 12 views of a VGG-style net over PublicTest take minutes.
    const where = progressOutput(io);
    // Predictions are kept in the score cache: evaluating the run (or an ensemble's members) on these images again reads them.
    const scoring = { scoredWith: backendFacts(backendInfo), log: where.log };
    // A pass asks for its progress callback only when it predicts: what asked for none was read from the cache.
    let passes = 0;
    const { result, stoppedBy } = await untilStopped(io, messages, (signal) =>
      nullIfStopped<DatasetEvaluation>(
        ensemble
          ? evaluateEnsembleOnDataset(run, parsed.positionals[1], {
            resultsRoot,
            splits: split,
            cacheDir,
            signal,
            ...scoring,
            progress: (member, splitName) => (passes++, passProgress(`Member ${member} ${splitName}`, where)),
          })
          : evaluateOnDataset(run, parsed.positionals[1], {
            splits: split,
            cacheDir,
            blurSigma,
            tta,
            classes,
            signal,
            ...scoring,
            progress: (splitName) => (passes++, passProgress(`Predicting ${splitName}`, where)),
          }),
        signal,
      ));
    if (result === null) {
      io.err(`Evaluation of ${run.id} stopped before its predictions were done: nothing was saved; rerun the command (--split for one split)\n`);
      return SIGNAL_EXIT_CODES[stoppedBy!];
    }
    if (passes === 0 && cacheDir !== null) {
      io.err(`Predictions read from the score cache (${join(cacheDir, "predictions")}): the same model, images, views and backend as before\n`);
    }
    // Kept in the run folder, so that fer compare shows the run on this dataset beside the others.
    await saveDatasetEvaluation(run, result);
    const saved = `Saved in ${runPath(run, "evaluations")} (deno task fer compare shows it per dataset)\n`;
    if (parsed.flags.json === true) {
      io.out(JSON.stringify(result, null, 2) + "\n");
      io.err(saved);
      return 0;
    }
    io.out(
      `${ensemble ? "Ensemble run" : "Run"} ${run.id} on ${result.root}${result.synthetic ? " (SYNTHETIC data)" : ""}, fingerprint ${result.fingerprint.slice(0, 12)}` +
        `${result.blurSigma > 0 ? `, inputs blurred (sigma ${result.blurSigma})` : ""}` +
        `${result.tta ? `, TTA over ${ttaViews(result.tta).length} views` : ""}` +
        `${result.classes ? `, restricted to ${result.classes.join(", ")} of the run's ${result.runClassCount} classes` : ""}\n`,
    );
    for (const [name, m] of Object.entries(result.splits)) {
      io.out(
        `  ${name.padEnd(10)} n=${m.count} accuracy ${intervalText(m.accuracyInterval)}` +
          `  macro-F1 ${m.macroF1.toFixed(3)}  ECE ${m.expectedCalibrationError.toFixed(3)}` +
          `${m.collapsedToOneClass ? "  WARNING: collapsed to one class" : ""}\n`,
      );
      // Train has nothing to leak from itself: its leak-free line would only repeat the figure above.
      if (m.leakFree && name !== "train") {
        io.out(
          `  ${"".padEnd(10)} leak-free n=${m.leakFree.count} accuracy ${intervalText(m.leakFree.accuracyInterval)}` +
            `  macro-F1 ${m.leakFree.macroF1.toFixed(3)}  (${m.leakFree.excluded} images with a copy in train` +
            `${result.trainedOn ? `, or in ${join(result.trainedOn.root, "train")} that the run learned from,` : ""} left out)\n`,
        );
      }
    }
    if (result.trainedOn && !result.trainedOn.checked) {
      io.out(
        `  No leak-free figures: the run was trained on ${result.trainedOn.root}, which is not here, so which of these images ` +
          "it saw cannot be checked; restore that folder to get them\n",
      );
    }
    io.out(saved);
    return 0;
  },
};
