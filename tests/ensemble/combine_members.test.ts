/**
 * Selection honesty: the combining step (fitting on validation, applying to
 * test) never reads a test label.
 */
import { describe, expect, it } from "vitest";
import { COMBINERS } from "../../src/experiment/run_metrics.ts";
import { checkMembers } from "../../src/ensemble/check_members.ts";
import { combineMembers } from "../../src/ensemble/combine_members.ts";
import type { MemberPredictions } from "../../src/ensemble/member_predictions.ts";
import { makeRng } from "../../src/core/seed.ts";

const fitting = { folds: 3, l2: 1e-2, features: "log_probabilities" as const };

/** A member with seeded random probabilities on 12 validation and 6 test images of 3 classes. */
function member(id: string, seed: number, testLabels: number[]): MemberPredictions {
  const rng = makeRng(seed);
  const rows = (n: number, labels: number[]) =>
    Array.from({ length: n }, (_, i) => {
      const raw = [0, 1, 2].map((c) => rng.next() + (c === labels[i] ? 0.8 : 0));
      const total = raw.reduce((a, b) => a + b, 0);
      return raw.map((v) => v / total);
    });
  const validationLabels = Array.from({ length: 12 }, (_, i) => i % 3);
  return {
    runId: id,
    name: id,
    classes: ["a", "b", "c"],
    configHash: "0".repeat(64),
    fingerprint: "f".repeat(64),
    dataFingerprint: "f".repeat(64),
    datasetRoot: "/data",
    synthetic: true,
    validationSource: "folder",
    tta: null,
    maxDeviation: 0,
    validation: { paths: validationLabels.map((_, i) => `validation/${i}.png`), labels: validationLabels, probabilities: rows(12, validationLabels) },
    test: { paths: testLabels.map((_, i) => `test/${i}.png`), labels: testLabels, probabilities: rows(6, [0, 1, 2, 0, 1, 2]) },
  };
}

/** The same members, with test labels that throw when anything reads them. */
function withGuardedTestLabels(members: MemberPredictions[]): MemberPredictions[] {
  const guard = new Proxy([] as number[], {
    get() {
      throw new Error("Test labels were read");
    },
  });
  return members.map((m) => ({ ...m, test: { ...m.test!, labels: guard } }));
}

const honest = [member("m1", 1, [0, 1, 2, 0, 1, 2]), member("m2", 2, [0, 1, 2, 0, 1, 2])];

describe("combineMembers", () => {
  it.each(COMBINERS)("checks members, fits and applies %s without reading any test label", (combiner) => {
    const guarded = withGuardedTestLabels(honest);
    expect(() => combineMembers(checkMembers(guarded), { combiner, fitting, rng: makeRng(0) })).not.toThrow();
    // The guard itself works: reading a label throws.
    expect(() => guarded[0].test!.labels[0]).toThrow("Test labels were read");
  });

  it.each(COMBINERS)("gives identical %s combiners and test probabilities when the test labels are scrambled", (combiner) => {
    const scrambled = [member("m1", 1, [2, 2, 0, 1, 0, 1]), member("m2", 2, [1, 0, 0, 2, 2, 1])];
    const a = combineMembers(honest, { combiner, fitting, rng: makeRng(0) });
    const b = combineMembers(scrambled, { combiner, fitting, rng: makeRng(0) });
    expect(b.fit).toEqual(a.fit);
    expect(b.test).toEqual(a.test);
  });

  it("changes the stacking meta-learner when the validation labels change, so the check above can fail", () => {
    const changed = honest.map((m) => ({ ...m, validation: { ...m.validation, labels: [...m.validation.labels].reverse() } }));
    const a = combineMembers(honest, { combiner: "stacking", fitting, rng: makeRng(0) });
    const b = combineMembers(changed, { combiner: "stacking", fitting, rng: makeRng(0) });
    expect(b.test).not.toEqual(a.test);
  });
});

describe("checkMembers", () => {
  it("accepts members that share classes, data and images", () => {
    expect(checkMembers(honest)).toBe(honest);
  });

  it("names both members when the classes differ", () => {
    const other = { ...honest[1], classes: ["a", "c", "b"] };
    expect(() => checkMembers([honest[0], other])).toThrow("Member run m2 and member run m1 have different classes ([a, c, b] and [a, b, c])");
  });

  it("refuses members whose data fingerprints differ", () => {
    const other = { ...honest[1], dataFingerprint: "e".repeat(64), datasetRoot: "/other" };
    expect(() => checkMembers([honest[0], other])).toThrow("read different datasets (fingerprints eeeeeeeeeeee of /other and ffffffffffff of /data)");
  });

  it("names the first validation image that differs", () => {
    const paths = [...honest[1].validation.paths];
    paths[4] = "validation/x.png";
    const other = { ...honest[1], validation: { ...honest[1].validation, paths } };
    expect(() => checkMembers([honest[0], other])).toThrow("evaluated on different validation images (12 and 12 images; first difference at position 4: validation/x.png vs validation/4.png)");
  });

  it("refuses a member without the test split the others have", () => {
    expect(() => checkMembers([honest[0], { ...honest[1], test: null }])).toThrow("differ in having a test split");
  });
});
