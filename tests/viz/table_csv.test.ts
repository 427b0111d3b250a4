import { describe, expect, it } from "vitest";
import { tableCsv } from "../../src/viz/table_csv.ts";

describe("tableCsv", () => {
  it("writes a header line and one line per row, each ending with a newline", () => {
    expect(tableCsv({ headers: ["a", "b"], cells: [["x", 1], ["y", 0.5]] })).toBe("a,b\nx,1\ny,0.500\n");
  });

  it("quotes a field with a comma, a quote or a line break and doubles its quotes", () => {
    expect(tableCsv({ headers: ["a"], cells: [['x,"y"'], ["l1\nl2"]] })).toBe('a\n"x,""y"""\n"l1\nl2"\n');
  });

  it("writes null as an empty field", () => {
    expect(tableCsv({ headers: ["a", "b"], cells: [[null, "x"]] })).toBe("a,b\n,x\n");
  });
});
