import { describe, expect, it } from "vitest";
import { fileStem } from "../../src/core/file_stem.ts";

describe("fileStem", () => {
  it("keeps letters, digits, _ and -, turns each other run into one _, and cuts at 60 characters", () => {
    expect(fileStem("best_fer2013-crop40", "x")).toBe("best_fer2013-crop40");
    expect(fileStem("inline member / v2.json", "x")).toBe("inline_member_v2_json");
    expect(fileStem("a".repeat(80), "x")).toHaveLength(60);
  });

  it("gives the fallback when nothing is left", () => {
    expect(fileStem("", "run")).toBe("run");
    expect(fileStem("!!", "run")).toBe("_");
  });
});
