/**
 * Reads the answers file of `fer data datasheet`: YAML (`.yaml`, `.yml`) or
 * JSON (`.json`), checked against the answers schema.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { type Document, LineCounter, parseDocument } from "yaml";
import { ConfigError } from "../core/errors.ts";
import { type DatasheetAnswers, datasheetAnswersSchema, parseDatasheetAnswers } from "./datasheet.ts";

/** Extensions of answers files, in the order `fer data datasheet` looks for a shipped one. */
export const DATASHEET_ANSWERS_EXTENSIONS = [".yaml", ".yml", ".json"] as const;

const TEMPLATE_HINT = "deno task fer data datasheet --template answers.yaml";

/**
 * Reads and checks an answers file. YAML is read with the failsafe schema:
 * every value is text, so `timeframe: 2013` or `consent: no` stay as written
 * instead of becoming a number or a boolean. Empty values (and `~`, `null`)
 * count as not answered; surrounding blank space is trimmed.
 *
 * @param path A `.yaml`, `.yml` or `.json` file.
 * @returns The answers.
 * @throws {ConfigError} For an unreadable file, another extension, a syntax error (with its line),
 *   an empty file, or an unknown or wrong field (naming it, its line in YAML, and the fields allowed there).
 * @example
 * ```ts
 * const answers = await readDatasheetAnswers("datasheets/facial_emotion_images.json");
 * console.log(answers.collection?.consent);
 * ```
 */
export async function readDatasheetAnswers(path: string): Promise<DatasheetAnswers> {
  const extension = extname(path).toLowerCase();
  if (!(DATASHEET_ANSWERS_EXTENSIONS as readonly string[]).includes(extension)) {
    throw new ConfigError(
      `Datasheet answers ${path}: cannot tell its format from "${extension || "no extension"}"; name it .yaml, .yml or .json (write one with: ${TEMPLATE_HINT})`,
    );
  }
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ConfigError(`Cannot read the datasheet answers file ${path} (${(error as Error).message}); check the path`);
  }
  if (extension === ".json") {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new ConfigError(`Datasheet answers ${path} is not valid JSON (${(error as Error).message}); fix it, or write a new one with: ${TEMPLATE_HINT}`);
    }
    return parseDatasheetAnswers(notEmpty(tidy(value), path), path);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { schema: "failsafe", lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const error = doc.errors[0];
    const { line, col } = lines.linePos(error.pos[0]);
    const where = ` at line ${line}, column ${col}`;
    throw new ConfigError(`Datasheet answers ${path} is not valid YAML${where}: ${error.message.split("\n")[0]}; fix it, or write a new one with: ${TEMPLATE_HINT}`);
  }
  const value = notEmpty(tidy(doc.toJS()), path);
  const checked = datasheetAnswersSchema.safeParse(value);
  if (checked.success) return checked.data;
  // Point at the offending line: parseDatasheetAnswers names the field, the line finds it in a long file.
  const line = lineOf(doc, lines, checked.error.issues[0]);
  return parseDatasheetAnswers(value, line === null ? path : `${path} (line ${line})`);
}

function notEmpty(value: unknown, path: string): unknown {
  if (value === undefined || (typeof value === "object" && value !== null && Object.keys(value).length === 0)) {
    throw new ConfigError(`Datasheet answers ${path} is empty; fill in a template (${TEMPLATE_HINT}) or leave --answers out`);
  }
  return value;
}

/** Trims text and drops empty or null-like values, so blank answers read as unanswered. */
function tidy(value: unknown): unknown {
  if (typeof value === "string") {
    const text = value.trim();
    return text === "" || text === "~" || text.toLowerCase() === "null" ? undefined : text;
  }
  if (value === null) return undefined;
  if (Array.isArray(value)) return value.map(tidy);
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).map(([key, v]) => [key, tidy(v)] as const);
    return Object.fromEntries(entries.filter(([, v]) => v !== undefined));
  }
  return value;
}

function lineOf(doc: Document, lines: LineCounter, issue: { path: PropertyKey[]; code: string; keys?: string[] }): number | null {
  const path = issue.code === "unrecognized_keys" && issue.keys?.length ? [...issue.path, issue.keys[0]] : issue.path;
  // The key's own node when there is one (an unknown key), else the value's.
  const parent = path.length > 0 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
  const pair = parent && typeof parent === "object" && "items" in parent
    ? (parent.items as { key?: { value?: unknown; range?: [number, number, number] } }[]).find((item) => item.key?.value === path[path.length - 1])
    : undefined;
  const range = pair?.key?.range ?? (doc.getIn(path, true) as { range?: [number, number, number] } | undefined)?.range;
  return range ? lines.linePos(range[0]).line : null;
}
