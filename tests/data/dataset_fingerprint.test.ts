import { describe, expect, it } from "vitest";
import { datasetFingerprint, type FingerprintFile } from "../../src/data/dataset_fingerprint.ts";

const decode = { size: 48, channels: 1, equalize: false } as const;
const classes = ["happy", "sad"];
const files: FingerprintFile[] = [
  { relativePath: "train/happy/1.png", bytes: Uint8Array.of(1, 2, 3) },
  { relativePath: "train/sad/2.png", bytes: Uint8Array.of(4, 5) },
];
const base = datasetFingerprint(files, { classes, decode });

describe("datasetFingerprint", () => {
  it("is 64 hex digits and the same for the same input", () => {
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(datasetFingerprint(files, { classes, decode })).toBe(base);
  });

  it("does not depend on the order the files are given in", () => {
    expect(datasetFingerprint([...files].reverse(), { classes, decode })).toBe(base);
  });

  it("matches the documented layout hashed by an independent implementation", () => {
    // Python: hashlib.sha256 over the layout tag, class count and names, decode JSON, file
    // count, then path and bytes per file; each string/byte run prefixed by its int64 LE length.
    expect(base).toBe("1491620ff6d664de52c11926da57c4b50854566f3a453e6445aefea2de765b05");
  });

  it("changes when a file's bytes change", () => {
    const changed = [files[0], { ...files[1], bytes: Uint8Array.of(4, 6) }];
    expect(datasetFingerprint(changed, { classes, decode })).not.toBe(base);
  });

  it("changes when a file is renamed", () => {
    const renamed = [files[0], { ...files[1], relativePath: "train/sad/3.png" }];
    expect(datasetFingerprint(renamed, { classes, decode })).not.toBe(base);
  });

  it("changes when bytes move from one file to the next (length prefixes)", () => {
    const moved = [
      { relativePath: files[0].relativePath, bytes: Uint8Array.of(1, 2) },
      { relativePath: files[1].relativePath, bytes: Uint8Array.of(3, 4, 5) },
    ];
    expect(datasetFingerprint(moved, { classes, decode })).not.toBe(base);
  });

  it("changes when the class list changes", () => {
    expect(datasetFingerprint(files, { classes: ["happy", "sad", "neutral"], decode })).not.toBe(base);
  });

  it("changes when the class order changes", () => {
    expect(datasetFingerprint(files, { classes: ["sad", "happy"], decode })).not.toBe(base);
  });

  it("changes when the decode size changes", () => {
    expect(datasetFingerprint(files, { classes, decode: { ...decode, size: 64 } })).not.toBe(base);
  });

  it("changes when the channel count changes", () => {
    expect(datasetFingerprint(files, { classes, decode: { ...decode, channels: 3 } })).not.toBe(base);
  });

  it("changes when equalisation is switched on", () => {
    expect(datasetFingerprint(files, { classes, decode: { ...decode, equalize: true } })).not.toBe(base);
  });

  it("tells an unreadable file from an empty one", () => {
    const empty = [files[0], { ...files[1], bytes: new Uint8Array(0) }];
    const unreadable = [files[0], { ...files[1], bytes: null }];
    expect(datasetFingerprint(empty, { classes, decode })).not.toBe(datasetFingerprint(unreadable, { classes, decode }));
  });
});
