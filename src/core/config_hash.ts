/**
 * A stable hash of a config, to recognise identical configs across runs.
 *
 * @module
 */
import { createHash } from "node:crypto";

/**
 * SHA-256 (hex) of the value's JSON with object keys sorted at every level,
 * so key order never changes the hash.
 *
 * @param value A JSON-compatible value (a resolved config).
 * @returns 64 lower-case hex digits.
 * @example
 * ```ts
 * console.assert(configHash({ a: 1, b: [2] }) === configHash({ b: [2], a: 1 }));
 * ```
 */
export function configHash(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
