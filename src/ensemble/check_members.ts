/**
 * Checks that ensemble members can be combined: same classes, same data, same images.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import type { MemberPredictions, SplitPredictions } from "./member_predictions.ts";

/**
 * Refuses members that do not share the class list, the dataset (their data
 * fingerprints, which ignore decode options, must be equal) and the exact
 * validation and test images in the same order (paths, and validation
 * labels; test labels are left unread until scoring: a test path names its
 * class folder, so equal paths on equal data mean equal labels). Members
 * with different preprocessing, blur, input size or TTA pass: each was
 * predicted with its own options.
 *
 * @param members Predictions of every member, in member order.
 * @returns The members, unchanged.
 * @throws {ConfigError} Naming the first member that differs from member 0, and how.
 * @example
 * ```ts
 * checkMembers([await memberPredictions(a, options), await memberPredictions(b, options)]);
 * ```
 */
export function checkMembers(members: readonly MemberPredictions[]): readonly MemberPredictions[] {
  const [first, ...rest] = members;
  if (!first) throw new ConfigError("An ensemble needs at least one member; list member runs or configs in members");
  for (const member of rest) {
    const pair = `Member run ${member.runId} and member run ${first.runId}`;
    if (member.classes.join("\u0000") !== first.classes.join("\u0000")) {
      throw new ConfigError(
        `${pair} have different classes ([${member.classes.join(", ")}] and [${first.classes.join(", ")}]); ` +
          "ensemble members must share dataset.classes, in the same order; or give the ensemble a dataset " +
          '({"root": ..., "classes": [...]}) that every member is predicted on, restricted to those classes',
      );
    }
    if (member.dataFingerprint !== first.dataFingerprint) {
      throw new ConfigError(
        `${pair} read different datasets (fingerprints ${member.dataFingerprint.slice(0, 12)} of ${member.datasetRoot} and ` +
          `${first.dataFingerprint.slice(0, 12)} of ${first.datasetRoot}); ensemble members must be trained on the same dataset`,
      );
    }
    compareSplit("validation", member.validation, first.validation, { pair, labels: true });
    if ((member.test === null) !== (first.test === null)) {
      throw new ConfigError(`${pair} differ in having a test split; ensemble members must be evaluated on the same splits`);
    }
    if (member.test && first.test) compareSplit("test", member.test, first.test, { pair, labels: false });
  }
  return members;
}

function compareSplit(split: string, a: SplitPredictions, b: SplitPredictions, options: { pair: string; labels: boolean }): void {
  const pair = options.pair;
  const at = a.paths.length !== b.paths.length ? Math.min(a.paths.length, b.paths.length) : a.paths.findIndex((path, i) => path !== b.paths[i]);
  const label = options.labels ? a.labels.findIndex((y, i) => y !== b.labels[i]) : -1;
  if (a.paths.length !== b.paths.length || at >= 0 || label >= 0) {
    throw new ConfigError(
      `${pair} were evaluated on different ${split} images (${a.paths.length} and ${b.paths.length} images; first difference at ` +
        `position ${at >= 0 ? at : label}: ${a.paths[at] ?? a.paths[label] ?? "none"} vs ${b.paths[at] ?? b.paths[label] ?? "none"}); ` +
        "give members the same dataset.limitPerSplit and seed, or a dataset with validation and test folders",
    );
  }
}
