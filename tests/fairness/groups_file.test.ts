import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/errors.ts";
import { matchGroups, parseGroupsCsv } from "../../src/fairness/groups_file.ts";

describe("parseGroupsCsv", () => {
  it("reads the key column, attributes and quoted fields; empty cells become (missing)", () => {
    const table = parseGroupsCsv('file,subject,"age band"\na.jpg,s1,"20-29"\nb.jpg,,30-39\n', { source: "g.csv" });
    expect(table.keyColumn).toBe("file");
    expect(table.attributes).toEqual(["subject", "age band"]);
    expect(table.rows[1].values).toEqual({ subject: "(missing)", "age band": "30-39" });
  });

  it("names a missing column and the columns that exist", () => {
    expect(() => parseGroupsCsv("file,gender\na.jpg,f\n", { source: "g.csv", columns: ["age"] })).toThrow(
      /Column "age" is not in groups file g.csv; its attribute columns are gender/,
    );
  });

  it("needs an image column", () => {
    expect(() => parseGroupsCsv("name,gender\na.jpg,f\n", { source: "g.csv" })).toThrow(ConfigError);
    expect(() => parseGroupsCsv("name,gender\na.jpg,f\n", { source: "g.csv" })).toThrow(/has no image column; its columns are name, gender/);
  });

  it("rejects a file without rows or without attributes", () => {
    expect(() => parseGroupsCsv("file,gender\n", { source: "g.csv" })).toThrow(/no rows/);
    expect(() => parseGroupsCsv("file\na.jpg\n", { source: "g.csv" })).toThrow(/no attribute column/);
  });
});

describe("matchGroups", () => {
  const paths = ["validation/happy/a.jpg", "validation/sad/b.jpg", "validation/sad/c.jpg"];

  it("matches by path or by file name and lists rows naming no image", () => {
    const table = parseGroupsCsv("path,g\nvalidation/happy/a.jpg,x\nb.jpg,y\nzzz.jpg,z\n", { source: "g.csv" });
    const { values, unmatched } = matchGroups(table, paths);
    expect(values.map((v) => v?.g ?? null)).toEqual(["x", "y", null]);
    expect(unmatched).toEqual(["zzz.jpg"]);
  });

  it("refuses a file name that stands for two images", () => {
    const table = parseGroupsCsv("file,g\na.jpg,x\n", { source: "g.csv" });
    expect(() => matchGroups(table, ["validation/happy/a.jpg", "validation/sad/a.jpg"])).toThrow(/names 2 images/);
  });
});
