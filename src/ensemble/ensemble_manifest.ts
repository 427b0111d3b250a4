/**
 * The manifest of an ensemble run: a run manifest that also lists the members.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendInfo } from "../backend/backend_info.ts";
import { codeVersion, environmentInfo, type RunManifest } from "../experiment/run_manifest.ts";
import { currentRunProcess, type RunHandle } from "../experiment/run_store.ts";
import type { CombinerName } from "../experiment/run_metrics.ts";
import type { EnsembleConfig } from "./ensemble_config.ts";
import type { MemberPredictions } from "./member_predictions.ts";
import type { ResolvedMember } from "./resolve_members.ts";
import type { TtaConfig } from "../predict/tta_config.ts";

/** One member as the manifest records it. */
export interface ManifestMember {
  runId: string;
  /** Its config's name now (see ResolvedMember.configName), else the run's. */
  name: string;
  /** The name the run was trained under, when its config has been renamed since. */
  runName?: string;
  /** How it was found: named, trained now, or reused (identical config and seed). */
  source: ResolvedMember["source"];
  configHash: string;
  /** Its own dataset fingerprint (includes its decode options). */
  fingerprint: string;
  /** Fingerprint of its files with the reference decode, shared by all members. */
  dataFingerprint: string;
  tta: TtaConfig | null;
  /** Largest difference between its recomputed probabilities and its predictions.csv (null with TTA). */
  maxDeviation: number | null;
  /** The dataset folder it was trained on, when the ensemble's `dataset` is another. */
  trainedOn?: string;
}

/** manifest.json of an ensemble run. */
export interface EnsembleManifest extends RunManifest {
  kind: "ensemble";
  combiner: CombinerName;
  members: ManifestMember[];
}

/**
 * Builds the initial manifest (status "running"). Its dataset section holds
 * the members' shared data fingerprint and the validation and test counts;
 * an ensemble trains nothing on train, so that count is 0.
 *
 * @param facts The run, config, backend, resolved members and their predictions, project root and start time.
 * @returns The manifest.
 * @example
 * ```ts
 * const manifest = buildEnsembleManifest({ run, config, backend, resolved, members, projectRoot: ".", startedAt: new Date() });
 * console.assert(manifest.kind === "ensemble" && manifest.status === "running");
 * ```
 */
export function buildEnsembleManifest(facts: {
  run: RunHandle;
  config: EnsembleConfig;
  backend: BackendInfo;
  resolved: readonly ResolvedMember[];
  members: readonly MemberPredictions[];
  projectRoot: string;
  startedAt: Date;
}): EnsembleManifest {
  const { run, config, members } = facts;
  const [first] = members;
  return {
    id: run.id,
    name: config.name,
    kind: "ensemble",
    combiner: config.combiner,
    status: "running",
    seed: config.seed,
    code: codeVersion(facts.projectRoot),
    environment: environmentInfo(),
    process: currentRunProcess(),
    config: structuredClone(config),
    backend: { ...facts.backend },
    dataset: {
      root: first.datasetRoot,
      fingerprint: first.dataFingerprint,
      synthetic: members.some((m) => m.synthetic),
      classes: [...first.classes],
      counts: { train: 0, validation: first.validation.paths.length, test: first.test?.paths.length ?? 0 },
      validationSource: first.validationSource,
    },
    members: members.map((m, i) => ({
      runId: m.runId,
      name: m.name,
      ...(m.runName !== undefined && { runName: m.runName }),
      source: facts.resolved[i].source,
      configHash: m.configHash,
      fingerprint: m.fingerprint,
      dataFingerprint: m.dataFingerprint,
      tta: m.tta,
      maxDeviation: m.maxDeviation,
      ...(m.trainedOn !== undefined && { trainedOn: m.trainedOn }),
    })),
    versions: { "@tensorflow/tfjs": tf.version.tfjs, ...tf.version },
    startedAt: facts.startedAt.toISOString(),
    finishedAt: null,
    durations: { totalSeconds: null, trainSeconds: null, evalSeconds: null },
  };
}
