import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/errors.ts";
import { resolveNormalization } from "../../src/transfer/normalization.ts";

describe("resolveNormalization", () => {
  it("gives face-api's mean RGB and a std of 255 on each of three channels", () => {
    expect(resolveNormalization("face_api", 3)).toEqual({ mean: [122.782, 117.001, 104.298], std: [255, 255, 255] });
  });

  it("spreads a single-value preset over every channel", () => {
    expect(resolveNormalization("minus_one_to_one", 3)).toEqual({ mean: [127.5, 127.5, 127.5], std: [127.5, 127.5, 127.5] });
    expect(resolveNormalization("zero_to_one", 1)).toEqual({ mean: [0], std: [255] });
  });

  it("takes an explicit per-channel mean and std", () => {
    expect(resolveNormalization({ mean: [1, 2, 3], std: [4] }, 3)).toEqual({ mean: [1, 2, 3], std: [4, 4, 4] });
  });

  it("rejects a three-value preset on a one-channel input, naming the counts", () => {
    expect(() => resolveNormalization("imagenet", 1)).toThrow(ConfigError);
    expect(() => resolveNormalization("imagenet", 1)).toThrow('Normalization "imagenet" has 3 mean values for a 1-channel input; give 1 or 1');
  });

  it("rejects a std that is not positive", () => {
    expect(() => resolveNormalization({ mean: [0], std: [0] }, 1)).toThrow("every std must be positive");
  });

  it("rejects an unknown preset name, listing the known ones", () => {
    expect(() => resolveNormalization("bgr" as "raw", 3)).toThrow('Unknown normalization "bgr"; known: face_api, minus_one_to_one');
  });
});
