/**
 * Prints a run's headline numbers after `run`, `resume` and `show`.
 *
 * @module
 */
import type { EnsembleMetrics, RunMetrics } from "../experiment/run_metrics.ts";
import type { RunManifest } from "../experiment/run_manifest.ts";
import type { EnsembleManifest } from "../ensemble/ensemble_manifest.ts";
import { readRunJson, type RunHandle, runState } from "../experiment/run_store.ts";
import type { CliIo } from "./cli_command.ts";
import { intervalText } from "../viz/interval_text.ts";
import { backendLabel } from "../backend/backend_info.ts";
import { ttaText, ttaViews } from "../predict/tta_views.ts";

/**
 * Writes status, accuracy and macro-F1 with intervals, ECE and the confusion
 * matrix per split; warns loudly when predictions collapsed to one class. For an
 * ensemble run, its combiner and members with their own scores instead of epochs.
 *
 * @param run The run.
 * @param io Output streams.
 * @returns Resolves when printed.
 */
export async function printRunSummary(run: RunHandle, io: CliIo): Promise<void> {
  const manifest = await readRunJson<RunManifest & Partial<Pick<EnsembleManifest, "members">>>(run, "manifest");
  const metrics = await readRunJson<RunMetrics & Partial<Pick<EnsembleMetrics, "ensemble">>>(run, "metrics");
  const state = await runState(run, manifest);
  const lines = [`Run ${run.id}: ${state.status}${manifest?.dataset.synthetic ? " (SYNTHETIC data)" : ""}`];
  if (state.note) lines.push(`  ${state.status}: ${state.note}`);
  if (manifest?.durations.trainSeconds != null) {
    const images = (manifest.dataset.counts.train ?? 0) * (metrics?.epochsTrained ?? 0);
    lines.push(`  training ${manifest.durations.trainSeconds.toFixed(0)} s, ${(images / manifest.durations.trainSeconds).toFixed(0)} images/s (incl. validation), backend ${backendLabel(manifest.backend)}`);
  }
  if (metrics) {
    // An ensemble trains nothing itself: its epochs (0) would only mislead.
    if (metrics.ensemble) lines.push(`  an ensemble of ${metrics.ensemble.members.length} member run(s), stop: ${metrics.stopReason}`);
    else lines.push(`  epochs ${metrics.epochsTrained}, weights from epoch ${metrics.keptEpoch}, stop: ${metrics.stopReason}`);
    if (metrics.tta) lines.push(`  scored with test-time augmentation: ${ttaText(metrics.tta)} (${ttaViews(metrics.tta).length} views per image)`);
    for (const split of ["validation", "test"] as const) {
      const m = metrics[split];
      if (!m) continue;
      lines.push(
        `  ${split.padEnd(10)} n=${m.count} accuracy ${intervalText(m.accuracyInterval)}  macro-F1 ${intervalText(m.macroF1Interval)}  ECE ${m.expectedCalibrationError.toFixed(3)}`,
      );
      if (m.leakFree) {
        lines.push(
          `  ${"".padEnd(10)} leak-free n=${m.leakFree.count} accuracy ${intervalText(m.leakFree.accuracyInterval)}  macro-F1 ${
            m.leakFree.macroF1.toFixed(3)
          }  (${m.leakFree.excluded} images with a copy in train left out)`,
        );
      }
      const width = Math.max(...metrics.classes.map((c) => c.length), 5);
      lines.push(`    ${"".padEnd(width)}  ${metrics.classes.map((c) => c.slice(0, 9).padStart(10)).join("")}   (rows true, columns predicted)`);
      m.confusion.forEach((row, t) => lines.push(`    ${metrics.classes[t].padEnd(width)}  ${row.map((v) => String(v).padStart(10)).join("")}`));
      if (m.collapsedToOneClass) {
        lines.push(`  WARNING: every ${split} image was predicted as one class: check the input preprocessing`);
      }
    }
    if (!metrics.test && metrics.stopReason === "interrupted" && (manifest?.dataset.counts.test ?? 0) > 0) {
      lines.push(`  ${"test".padEnd(10)} not read while the run is unfinished: it is read once, when the run completes`);
    }
  }
  if (metrics?.ensemble) lines.push(...memberScoreLines(metrics.ensemble, manifest?.members ?? []));
  const warnings = (metrics as { warnings?: string[] } | undefined)?.warnings ?? [];
  for (const warning of warnings) lines.push(`  WARNING: ${warning}`);
  lines.push(`  folder ${run.dir}`);
  io.out(lines.join("\n") + "\n");
}

/** An ensemble's members' own scores beside its own, on the same images, with the combiner's weights. */
function memberScoreLines(ensemble: EnsembleMetrics["ensemble"], manifestMembers: EnsembleManifest["members"]): string[] {
  const { combiner, validationMode, weights, members } = ensemble;
  // A member trained on another dataset (an ensemble with its own `dataset`) says which.
  const trainedOn = new Map(manifestMembers.map((m) => [m.runId, m.trainedOn]));
  const lines = [`  ${combiner}, validation ${validationMode === "out_of_fold" ? "out of fold (cross-validated)" : "predictions"}; members on the same images:`];
  members.forEach((m, i) => {
    const elsewhere = trainedOn.get(m.runId);
    lines.push(
      `    ${m.name} (${m.runId}${elsewhere ? `, trained on ${elsewhere}` : ""})${weights ? ` weight ${weights[i].toFixed(3)}` : ""}: ` +
        `validation ${intervalText(m.validation.accuracyInterval)}` + (m.test ? `  test ${intervalText(m.test.accuracyInterval)}` : ""),
    );
  });
  return lines;
}
