import { beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import type { DataReport } from "../../src/data/data_report.ts";
import { ConfigError, DatasetError } from "../../src/core/errors.ts";
import { nearDuplicateRows } from "../../src/notebook/near_duplicate_rows.ts";
import { tempDir, writeGrayPng } from "./notebook_fixtures.ts";

let root = "";
beforeAll(async () => {
  root = await tempDir("near");
  for (
    const [path, value] of [["train/happy/a.png", 10], ["train/happy/b.png", 20], ["train/sad/c.png", 30], ["validation/sad/v.png", 35], [
      "test/happy/x.png",
      40,
    ], ["test/sad/y.png", 50]] as const
  ) {
    await writeGrayPng(join(root, path), value);
  }
});

function report(nearDuplicates: DataReport["nearDuplicates"]): DataReport {
  return {
    root,
    settings: { size: 8, hammingThreshold: 6, blankStdThreshold: 2, lowContrastStdThreshold: 8 },
    nearDuplicates,
  } as DataReport;
}

describe("nearDuplicateRows", () => {
  it("shows the closest pairs first, each as two captioned images", async () => {
    const rows = await nearDuplicateRows(report([
      { a: "train/sad/c.png", b: "test/sad/y.png", distance: 4 },
      { a: "train/happy/a.png", b: "test/happy/x.png", distance: 2 },
    ]));
    expect(rows.map((r) => r.label)).toEqual(["distance 2", "distance 4"]);
    expect(rows[0].tiles.map((t) => [t.caption, t.pixels[0]])).toEqual([["train/happy", 10], ["test/happy", 40]]);
  });

  it("keeps one pair per later-split image, its closest", async () => {
    const rows = await nearDuplicateRows(report([
      { a: "train/happy/b.png", b: "test/happy/x.png", distance: 0 },
      { a: "train/happy/a.png", b: "test/happy/x.png", distance: 0 },
      { a: "train/sad/c.png", b: "test/sad/y.png", distance: 6 },
    ]));
    expect(rows.map((r) => [r.label, r.tiles[0].pixels[0]])).toEqual([["distance 0", 10], ["distance 6", 30]]);
  });

  it("keeps only pairs between the two splits asked for", async () => {
    const pairs = [
      { a: "train/sad/c.png", b: "validation/sad/v.png", distance: 0 },
      { a: "train/happy/a.png", b: "test/happy/x.png", distance: 2 },
    ];
    expect((await nearDuplicateRows(report(pairs), { between: ["train", "validation"] })).map((r) => r.tiles[1].caption)).toEqual([
      "validation/sad",
    ]);
  });

  it("stops at the number of pairs asked for", async () => {
    const rows = await nearDuplicateRows(
      report([
        { a: "train/happy/a.png", b: "test/happy/x.png", distance: 2 },
        { a: "train/sad/c.png", b: "test/sad/y.png", distance: 4 },
      ]),
      { pairs: 1 },
    );
    expect(rows).toHaveLength(1);
  });

  it("names the image and the root when an image is gone", async () => {
    const missing = report([{ a: "train/happy/gone.png", b: "test/happy/x.png", distance: 0 }]);
    await expect(nearDuplicateRows(missing)).rejects.toThrow(DatasetError);
    await expect(nearDuplicateRows(missing)).rejects.toThrow(`Cannot read train/happy/gone.png under ${root}`);
  });

  it("rejects a pair count that is not a whole number >= 1", async () => {
    await expect(nearDuplicateRows(report([]), { pairs: 0 })).rejects.toThrow(ConfigError);
  });
});
