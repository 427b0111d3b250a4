/**
 * A minimal ustar writer for tests (regular files, optional pax path records).
 */

/** One archive entry: its path and bytes; `pax` stores the path in a pax record instead of the header. */
export interface TarEntry {
  path: string;
  data: Uint8Array;
  pax?: boolean;
}

function header(name: string, size: number, type: string): Uint8Array {
  const block = new Uint8Array(512);
  const put = (text: string, offset: number) => block.set(new TextEncoder().encode(text), offset);
  put(name.slice(0, 99), 0);
  put("0000644\0", 100);
  put("0000000\0", 108);
  put("0000000\0", 116);
  put(size.toString(8).padStart(11, "0") + "\0", 124);
  put("00000000000\0", 136);
  put(type, 156);
  put("ustar\0", 257);
  put("00", 263);
  put("        ", 148);
  const sum = block.reduce((a, b) => a + b, 0);
  put(sum.toString(8).padStart(6, "0") + "\0 ", 148);
  return block;
}

const padded = (data: Uint8Array) => {
  const out = new Uint8Array(Math.ceil(data.length / 512) * 512);
  out.set(data);
  return out;
};

/** The tar bytes of `entries`, ending with two zero blocks. */
export function makeTar(entries: TarEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const entry of entries) {
    if (entry.pax) {
      // A pax record is "<length> path=<value>\n", its length counting its own digits.
      const body = ` path=${entry.path}\n`;
      let length = body.length;
      while (String(length).length + body.length !== length) length = String(length).length + body.length;
      const bytes = new TextEncoder().encode(`${length}${body}`);
      parts.push(header("PaxHeader", bytes.length, "x"), padded(bytes));
    }
    parts.push(header(entry.pax ? "truncated-name" : entry.path, entry.data.length, "0"), padded(entry.data));
  }
  parts.push(new Uint8Array(1024));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
