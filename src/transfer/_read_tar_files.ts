/**
 * Reads chosen regular files out of an (uncompressed) tar archive: ustar
 * headers, with pax `path` records for long names. Enough for npm tarballs.
 *
 * @module
 */

const BLOCK = 512;

/**
 * Copies the files whose archive path is in `wanted`.
 *
 * @param archive The tar bytes.
 * @param wanted Archive paths, e.g. `package/models/emotion.json`.
 * @returns The found files by path (absent ones are left out).
 * @throws Error when a header is truncated or its size field is not octal.
 * @example
 * ```ts
 * const files = readTarFiles(gunzipSync(tgz), new Set(["package/package.json"]));
 * ```
 */
export function readTarFiles(archive: Uint8Array, wanted: ReadonlySet<string>): Map<string, Uint8Array> {
  const found = new Map<string, Uint8Array>();
  let offset = 0;
  let paxPath: string | null = null;
  while (offset + BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    const sizeField = text(header, 124, 12).trim();
    if (!/^[0-7]*$/.test(sizeField)) throw new Error(`Tar header at byte ${offset} has size field "${sizeField}", not octal`);
    const size = sizeField === "" ? 0 : parseInt(sizeField, 8);
    const type = String.fromCharCode(header[156]);
    const dataStart = offset + BLOCK;
    if (dataStart + size > archive.length) throw new Error(`Tar entry at byte ${offset} runs past the end of the archive`);
    const data = archive.subarray(dataStart, dataStart + size);
    if (type === "x") {
      paxPath = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(new TextDecoder().decode(data))?.[1] ?? null;
    } else {
      const prefix = text(header, 345, 155);
      const path = paxPath ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
      paxPath = null;
      if ((type === "0" || type === "\0") && wanted.has(path)) found.set(path, data.slice());
    }
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
  }
  return found;
}

function text(block: Uint8Array, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return new TextDecoder().decode(end < 0 ? field : field.subarray(0, end));
}
