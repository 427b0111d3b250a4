/**
 * Groups files: a CSV that maps images to group attributes (any columns:
 * subject, gender, age band, skin tone, dataset, lighting...), and matching
 * its rows to the images of a split.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { ConfigError } from "../core/errors.ts";
import { parseCsvLine } from "../core/parse_csv_line.ts";

/** Column names accepted for the image key, in order of preference. */
export const KEY_COLUMNS = ["path", "file", "filename", "image"] as const;

/** A parsed groups file. */
export interface GroupsTable {
  /** The column holding image paths or file names. */
  keyColumn: string;
  /** The attribute columns read. */
  attributes: string[];
  /** One row per line: the key, and the value per attribute (empty cells become "(missing)"). */
  rows: { key: string; values: Record<string, string> }[];
}

/**
 * Parses a groups CSV: a header, then one row per image. The key column is
 * `path` (path relative to the dataset root, e.g. `validation/happy/1.jpg`),
 * `file`, `filename` or `image` (a file name); every other column is an
 * attribute unless `columns` picks some.
 *
 * @param text The CSV text (RFC 4180 quoting).
 * @param options The file's name (for messages) and the attribute columns to use.
 * @returns The table.
 * @throws {ConfigError} When there is no key column, a chosen column is missing, or there is no attribute or no row.
 * @example
 * ```ts
 * const table = parseGroupsCsv("file,gender\n1.jpg,f\n", { source: "groups.csv" });
 * console.assert(table.rows[0].values.gender === "f");
 * ```
 */
export function parseGroupsCsv(text: string, options: { source: string; columns?: readonly string[] }): GroupsTable {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== "").map(parseCsvLine);
  const [header, ...body] = lines;
  if (!header) throw new ConfigError(`Groups file ${options.source} is empty; write a header such as "file,gender,age" and one row per image`);
  const names = header.map((h) => h.trim());
  const keyColumn = KEY_COLUMNS.find((k) => names.includes(k));
  if (!keyColumn) {
    throw new ConfigError(
      `Groups file ${options.source} has no image column; its columns are ${names.join(", ")}; name one of them ${KEY_COLUMNS.join(", ")} (a path under the dataset root or a file name)`,
    );
  }
  const others = names.filter((n) => n !== keyColumn);
  for (const column of options.columns ?? []) {
    if (!others.includes(column)) {
      throw new ConfigError(`Column "${column}" is not in groups file ${options.source}; its attribute columns are ${others.join(", ") || "(none)"}`);
    }
  }
  const attributes = options.columns ? [...options.columns] : others;
  if (attributes.length === 0) {
    throw new ConfigError(`Groups file ${options.source} has no attribute column besides ${keyColumn}; add one, e.g. subject or dataset`);
  }
  if (body.length === 0) throw new ConfigError(`Groups file ${options.source} has a header but no rows; add one row per image`);
  const index = Object.fromEntries(names.map((n, i) => [n, i]));
  return {
    keyColumn,
    attributes,
    rows: body.map((fields) => ({
      key: (fields[index[keyColumn]] ?? "").trim(),
      values: Object.fromEntries(attributes.map((a) => [a, (fields[index[a]] ?? "").trim() || "(missing)"])),
    })),
  };
}

/**
 * Reads and parses a groups file.
 *
 * @param path The CSV file.
 * @param columns Attribute columns to use. @default every column but the key
 * @returns The table.
 * @throws {ConfigError} When the file cannot be read, or as {@linkcode parseGroupsCsv}.
 * @example
 * ```ts
 * const table = await readGroupsFile("groups.csv");
 * ```
 */
export async function readGroupsFile(path: string, columns?: readonly string[]): Promise<GroupsTable> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ConfigError(`Cannot read groups file ${path} (${(error as Error).message}); pass a CSV with a file or path column and attribute columns`);
  }
  return parseGroupsCsv(text, { source: path, columns });
}

/**
 * Matches the table's rows to image paths: a row matches an image when its key
 * equals the image's path, or the path's file name (the last part).
 *
 * @param table The groups table.
 * @param paths Image paths (relative to the dataset root) of the split.
 * @returns Per image its row's values (null when no row names it), and the keys of rows that matched no image.
 * @throws {ConfigError} When one file name stands for two images and the file uses names, not paths.
 * @example
 * ```ts
 * const { values, unmatched } = matchGroups(table, ["validation/happy/1.jpg"]);
 * ```
 */
export function matchGroups(table: GroupsTable, paths: readonly string[]): { values: (Record<string, string> | null)[]; unmatched: string[] } {
  const byPath = new Map(paths.map((p, i) => [p, i]));
  const byName = new Map<string, number[]>();
  paths.forEach((p, i) => {
    const name = p.split("/").pop()!;
    byName.set(name, [...(byName.get(name) ?? []), i]);
  });
  const values: (Record<string, string> | null)[] = paths.map(() => null);
  const unmatched: string[] = [];
  for (const row of table.rows) {
    const direct = byPath.get(row.key);
    const named = byName.get(row.key);
    if (direct === undefined && named && named.length > 1) {
      throw new ConfigError(
        `File name "${row.key}" in the groups file names ${named.length} images (${named.slice(0, 3).map((i) => paths[i]).join(", ")}); use a path column with paths such as ${paths[named[0]]}`,
      );
    }
    const at = direct ?? named?.[0];
    if (at === undefined) unmatched.push(row.key);
    else values[at] = row.values;
  }
  return { values, unmatched };
}
