/**
 * Field-by-field differences between two configs, for saying what changed
 * when a run's config.json no longer matches what the run recorded.
 *
 * @module
 */

/**
 * Lists the fields whose values differ, as `path: before -> after` lines in
 * path order. Objects are compared field by field; arrays and other values
 * as JSON; a field present on one side only shows `(absent)` on the other.
 *
 * @param before The recorded config.
 * @param after The config now on disk.
 * @returns One line per differing leaf field; empty when they are equal.
 * @example
 * ```ts
 * const lines = configDifferences({ training: { epochs: 2 } }, { training: { epochs: 3 } });
 * console.assert(lines[0] === "training.epochs: 2 -> 3");
 * ```
 */
export function configDifferences(before: unknown, after: unknown): string[] {
  const lines: string[] = [];
  walk(before, after, "", lines);
  return lines.sort();
}

function walk(a: unknown, b: unknown, path: string, lines: string[]): void {
  if (isRecord(a) && isRecord(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      walk(a[key], b[key], path === "" ? key : `${path}.${key}`, lines);
    }
    return;
  }
  const left = show(a), right = show(b);
  if (left !== right) lines.push(`${path || "(top level)"}: ${left} -> ${right}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  return value === undefined ? "(absent)" : JSON.stringify(value);
}
