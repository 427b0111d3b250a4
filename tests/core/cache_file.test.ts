import { describe, expect, it } from "vitest";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeCacheFile, encodeCacheFile, readCacheFile } from "../../src/core/cache_file.ts";

const KIND = { tag: "FERTESTS", format: 3, bodyBytesKey: "bodyBytes", bodySha256Key: "sha256", bodyName: "pixel" };
const entry = { header: { rows: 2 }, body: [Uint8Array.of(1, 2), Uint8Array.of(3)] };

async function fileWith(bytes: Uint8Array): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), "cache-file-")), "x.bin");
  await writeFile(path, bytes);
  return path;
}

describe("encodeCacheFile and decodeCacheFile", () => {
  it("give back the header and the body parts joined in order", () => {
    const { header, body } = decodeCacheFile(encodeCacheFile(KIND, entry), KIND);
    expect(header.rows).toBe(2);
    expect(header.bodyBytes).toBe(3);
    expect(Array.from(body)).toEqual([1, 2, 3]);
  });

  it("keep the caller's header fields first, then the body's length and checksum", () => {
    const bytes = encodeCacheFile(KIND, entry);
    const length = new DataView(bytes.buffer).getUint32(12, true);
    const json = new TextDecoder().decode(bytes.subarray(16, 16 + length));
    expect(Object.keys(JSON.parse(json))).toEqual(["rows", "bodyBytes", "sha256"]);
  });

  it("refuse another tag", () => {
    expect(() => decodeCacheFile(encodeCacheFile({ ...KIND, tag: "FEROTHER" }, entry), KIND)).toThrow("Cache file does not start with the FERTESTS tag");
  });

  it("refuse another format version", () => {
    expect(() => decodeCacheFile(encodeCacheFile({ ...KIND, format: 4 }, entry), KIND)).toThrow("Cache format 4 is not 3");
  });

  it("refuse a truncated body, naming both lengths", () => {
    const bytes = encodeCacheFile(KIND, entry);
    expect(() => decodeCacheFile(bytes.subarray(0, bytes.length - 1), KIND)).toThrow("Cache holds 2 pixel bytes; its header says 3");
  });

  it("refuse an altered body", () => {
    const bytes = encodeCacheFile(KIND, entry);
    bytes[bytes.length - 1] ^= 0xff;
    expect(() => decodeCacheFile(bytes, KIND)).toThrow("Cache pixels do not match their checksum");
  });
});

describe("readCacheFile", () => {
  it("answers hit with what the check returns", async () => {
    const found = await readCacheFile(await fileWith(encodeCacheFile(KIND, entry)), KIND, (header, body) => body.length + (header.rows as number));
    expect(found).toEqual({ status: "hit", entry: 5 });
  });

  it("answers missing for a file that does not exist", async () => {
    expect(await readCacheFile("/no/such/file.bin", KIND, () => 0)).toEqual({ status: "missing" });
  });

  it("answers invalid with the first problem instead of throwing", async () => {
    const path = await fileWith(Uint8Array.of(1, 2, 3));
    expect(await readCacheFile(path, KIND, () => 0)).toEqual({ status: "invalid", reason: "Cache file does not start with the FERTESTS tag" });
  });

  it("answers invalid with the check's message when the check throws", async () => {
    const path = await fileWith(encodeCacheFile(KIND, entry));
    const found = await readCacheFile(path, KIND, () => {
      throw new Error("Cache holds key a, not b");
    });
    expect(found).toEqual({ status: "invalid", reason: "Cache holds key a, not b" });
  });
});
