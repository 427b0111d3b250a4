import { describe, expect, it } from "vitest";
import { parseCsvLine } from "../../src/core/parse_csv_line.ts";

describe("parseCsvLine", () => {
  it("splits plain fields at commas, keeping empty ones", () => {
    expect(parseCsvLine("a,,b,")).toEqual(["a", "", "b", ""]);
  });

  it("keeps commas inside quotes and turns a doubled quote into one", () => {
    expect(parseCsvLine('train/a.png,"x, y","say ""hi"""')).toEqual(["train/a.png", "x, y", 'say "hi"']);
  });

  it("gives one empty field for an empty line", () => {
    expect(parseCsvLine("")).toEqual([""]);
  });
});
