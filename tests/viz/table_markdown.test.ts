import { describe, expect, it } from "vitest";
import { tableMarkdown } from "../../src/viz/table_markdown.ts";

describe("tableMarkdown", () => {
  it("writes a header line, a rule of three dashes per column and one line per row", () => {
    expect(tableMarkdown({ headers: ["a", "b"], cells: [["x", "y"], ["z", ""]] })).toBe("| a | b |\n| --- | --- |\n| x | y |\n| z |  |");
  });

  it("escapes a pipe inside a cell or a header", () => {
    expect(tableMarkdown({ headers: ["a|b"], cells: [["1 | 2"]] })).toBe("| a\\|b |\n| --- |\n| 1 \\| 2 |");
  });

  it("formats numbers and null as the other renderers do", () => {
    expect(tableMarkdown({ headers: ["n", "m"], cells: [[0.12345, null]], decimals: [2, null] }).split("\n")[2]).toBe("| 0.12 |  |");
  });

  it("pads cells to their column, at least three wide, and right-aligns the columns after the first", () => {
    const table = tableMarkdown({ headers: ["split", "n"], cells: [["train", "12"], ["a", "3"]] }, { pad: true, align: ["left", "right"] });
    expect(table.split("\n")).toEqual(["| split |   n |", "| ----- | --: |", "| train |  12 |", "| a     |   3 |"]);
  });

  it("leaves the caption out", () => {
    expect(tableMarkdown({ caption: "C", headers: ["a"], cells: [] })).toBe("| a |\n| --- |");
  });
});
