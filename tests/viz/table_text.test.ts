import { describe, expect, it } from "vitest";
import { tableText } from "../../src/viz/table_text.ts";

describe("tableText", () => {
  it("prints whole numbers as they are and other numbers with three decimals", () => {
    const text = tableText({ headers: ["n"], cells: [[4], [0.12345]] });
    expect(text.split("\n").slice(2)).toEqual(["    4", "0.123"]);
  });

  it("uses the decimals given for a column", () => {
    const text = tableText({ headers: ["n", "m"], cells: [[1, 1]], decimals: [2, null] });
    expect(text.split("\n")[2]).toBe("1.00  1");
  });

  it("shows null as an empty cell", () => {
    expect(tableText({ headers: ["a", "b"], cells: [[null, "x"]] }).split("\n")[2]).toBe("   x");
  });

  it("aligns plain text columns under a caption and a rule", () => {
    expect(tableText({ caption: "C", headers: ["name", "n"], cells: [["ab", 10]] })).toBe("C\nname  n\n----  --\nab    10");
  });

  it("indents every line but the caption and leaves the rule out when asked", () => {
    const text = tableText({ caption: "C", headers: ["name", "n"], cells: [["ab", "10"]] }, { indent: "  ", rule: false });
    expect(text).toBe("C\n  name  n\n  ab    10");
  });

  it("trims trailing spaces of a line whose last cells are empty", () => {
    expect(tableText({ headers: ["a", "b"], cells: [["x", ""]] }, { indent: "  ", rule: false }).split("\n")[1]).toBe("  x");
  });
});
