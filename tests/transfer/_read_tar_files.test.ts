import { describe, expect, it } from "vitest";
import { readTarFiles } from "../../src/transfer/_read_tar_files.ts";
import { makeTar } from "./_tar.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("readTarFiles", () => {
  it("returns only the wanted files, byte for byte, across block padding", () => {
    const big = new Uint8Array(1300).map((_, i) => i % 251);
    const archive = makeTar([
      { path: "package/a.txt", data: bytes("alpha") },
      { path: "package/big.bin", data: big },
      { path: "package/c.txt", data: bytes("gamma") },
    ]);
    const found = readTarFiles(archive, new Set(["package/big.bin", "package/c.txt", "package/none"]));
    expect([...found.keys()].sort()).toEqual(["package/big.bin", "package/c.txt"]);
    expect(found.get("package/big.bin")).toEqual(big);
    expect(new TextDecoder().decode(found.get("package/c.txt"))).toBe("gamma");
  });

  it("uses the path of a pax record over the header's name", () => {
    const long = `package/${"d".repeat(120)}/file.json`;
    const found = readTarFiles(makeTar([{ path: long, data: bytes("{}"), pax: true }]), new Set([long]));
    expect(new TextDecoder().decode(found.get(long))).toBe("{}");
  });

  it("rejects an entry that runs past the end of the archive", () => {
    const archive = makeTar([{ path: "a", data: new Uint8Array(2000) }]).subarray(0, 1024);
    expect(() => readTarFiles(archive, new Set(["a"]))).toThrow("runs past the end of the archive");
  });
});
