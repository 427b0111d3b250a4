import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/errors.ts";
import { redetectRule } from "../../src/video/redetect_rule.ts";

const frame = (value: number, width = 64, height = 36) => ({ rgb: new Uint8Array(width * height * 3).fill(value), width, height });
const crop = (value: number) => new Uint8Array(48 * 48).fill(value);

describe("redetectRule", () => {
  it("detects on the first frame, then every `every` frames when nothing changes", () => {
    const rule = redetectRule({ every: 3 });
    const reasons = [];
    for (let i = 0; i < 7; i++) {
      const reason = rule.check(i, frame(100)) ?? rule.checkCrops([crop(50)]);
      reasons.push(reason);
      if (reason) rule.detected(i, [crop(50)]);
    }
    expect(reasons).toEqual(["first", null, null, "interval", null, null, "interval"]);
  });

  it("detects at once on a scene change (the thumbnail moves by more than frameChange)", () => {
    const rule = redetectRule({ every: 100, frameChange: 20 });
    rule.check(0, frame(100));
    rule.detected(0, []);
    expect(rule.check(1, frame(115))).toBeNull(); // 15 gray levels: lighting, noise
    expect(rule.check(2, frame(160))).toBe("scene"); // a cut
  });

  it("detects when a kept face's crop changed by more than cropChange, and compares with the crop at detection", () => {
    const rule = redetectRule({ every: 100, cropChange: 12 });
    rule.check(0, frame(100));
    rule.detected(0, [crop(50), crop(90)]);
    expect(rule.check(1, frame(100))).toBeNull();
    expect(rule.checkCrops([crop(58), crop(90)])).toBeNull();
    expect(rule.checkCrops([crop(50), crop(105)])).toBe("face");
    rule.detected(1, [crop(50), crop(105)]);
    expect(rule.checkCrops([crop(50), crop(105)])).toBeNull();
  });

  it("with every 1 detects on every frame, and refuses bad options with what to pass", () => {
    const rule = redetectRule({ every: 1 });
    expect(rule.check(0, frame(0))).toBe("first");
    rule.detected(0, []);
    expect(rule.check(1, frame(0))).toBe("interval");
    expect(() => redetectRule({ every: 0 })).toThrow(ConfigError);
    expect(() => redetectRule({ every: 2.5 })).toThrow("use a whole number of at least 1");
    expect(() => redetectRule({ cropChange: 0 })).toThrow("Re-detection cropChange is 0");
  });
});
