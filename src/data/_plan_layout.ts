/**
 * Plans where each entry of an archive or folder goes in an imported dataset.
 *
 * @module
 */
import { DatasetError } from "../core/errors.ts";
import { SPLITS, type SplitName, SYNTHETIC_MARKER_FILE } from "./classes.ts";
import { isImageName } from "./discover_dataset.ts";

/** One image to copy: its name in the source and its place in the dataset. */
export interface PlannedImage {
  source: string;
  split: SplitName;
  className: string;
  fileName: string;
}

/** What {@linkcode planLayout} decided. */
export interface LayoutPlan {
  images: PlannedImage[];
  /** The wrapping folders stripped from every entry (`Facial_emotion_images/`), or "". */
  prefix: string;
  /** Class folders left out by the class filter, with their image counts. */
  skippedClasses: Record<string, number>;
  /** Entries that are not images at `<split>/<class>/<file>`, with the reason. */
  skippedEntries: { path: string; reason: string }[];
  /** Operating-system clutter ignored silently (`__MACOSX/`, `.DS_Store`, `._x`, `Thumbs.db`). */
  junk: number;
  /** Source name of the synthetic marker beside the splits, when there is one. */
  syntheticMarker?: string;
}

/**
 * Checks an entry name and splits it into path segments. Names with an
 * absolute path, a drive letter or a `..` segment could write outside the
 * output folder (zip-slip) and are refused before anything is written.
 *
 * @param name Entry name as stored (`/` or `\` separators).
 * @returns Its non-empty segments, `.` removed.
 * @throws {DatasetError} For an absolute path or a `..` segment.
 * @example
 * ```ts
 * console.assert(safeSegments("a/./b.png").join("/") === "a/b.png");
 * ```
 */
export function safeSegments(name: string): string[] {
  const unified = name.replaceAll("\\", "/");
  const segments = unified.split("/").filter((s) => s !== "" && s !== ".");
  if (unified.startsWith("/") || /^[A-Za-z]:/.test(unified) || segments.includes("..")) {
    throw new DatasetError(
      `Entry "${name}" points outside the output folder (absolute path or ".." segment); ` +
        "the source is unsafe to extract and nothing was written: rebuild it with relative paths",
    );
  }
  return segments;
}

/**
 * Maps entry names to `<split>/<class>/<file>`. The dataset may sit under any
 * wrapping folders (`Facial_emotion_images/train/happy/1.jpg`); the prefix
 * shared by most image entries is stripped, and entries elsewhere are skipped
 * and listed. Every name is checked with {@linkcode safeSegments} first.
 *
 * @param names Entry names (files only).
 * @param options `classes`: keep only these class folders (undefined keeps all).
 * @returns The plan.
 * @throws {DatasetError} For an unsafe name (nothing is planned then).
 * @example
 * ```ts
 * const plan = planLayout(["top/train/happy/a.jpg", "__MACOSX/top/._a.jpg"], {});
 * console.assert(plan.prefix === "top/" && plan.images[0].split === "train" && plan.junk === 1);
 * ```
 */
export function planLayout(names: readonly string[], options: { classes?: readonly string[] }): LayoutPlan {
  const checked = names.map((name) => ({ name, segments: safeSegments(name) }));
  const plan: LayoutPlan = { images: [], prefix: "", skippedClasses: {}, skippedEntries: [], junk: 0 };
  const useful = checked.filter(({ segments }) => {
    const junk = segments.some(isJunk);
    if (junk) plan.junk++;
    return !junk;
  });
  const prefixVotes = new Map<string, number>();
  for (const { segments } of useful) {
    const prefix = layoutPrefix(segments);
    if (prefix !== undefined) prefixVotes.set(prefix, (prefixVotes.get(prefix) ?? 0) + 1);
  }
  // Most votes wins; on a tie the shorter (outer) prefix.
  plan.prefix = [...prefixVotes].sort((a, b) => b[1] - a[1] || a[0].length - b[0].length)[0]?.[0] ?? "";
  for (const { name, segments } of useful) {
    const path = segments.join("/");
    if (path === plan.prefix + SYNTHETIC_MARKER_FILE) {
      plan.syntheticMarker = name;
      continue;
    }
    if (layoutPrefix(segments) !== plan.prefix) {
      plan.skippedEntries.push({ path, reason: expectedLayout(plan.prefix) });
      continue;
    }
    const [split, className, fileName] = segments.slice(-3);
    if (!isImageName(fileName)) {
      plan.skippedEntries.push({ path, reason: "not an image file" });
    } else if (options.classes && !options.classes.includes(className)) {
      plan.skippedClasses[className] = (plan.skippedClasses[className] ?? 0) + 1;
    } else {
      plan.images.push({ source: name, split: split as SplitName, className, fileName });
    }
  }
  return plan;
}

/** The folders above `<split>/<class>/<file>`, with a trailing `/`, or undefined when the entry is not so placed. */
function layoutPrefix(segments: readonly string[]): string | undefined {
  if (segments.length < 3) return undefined;
  const split = segments[segments.length - 3];
  if (!(SPLITS as readonly string[]).includes(split)) return undefined;
  const above = segments.slice(0, -3);
  return above.length ? above.join("/") + "/" : "";
}

function expectedLayout(prefix: string): string {
  return `not at ${prefix}<${SPLITS.join("|")}>/<class>/<image> like the rest of the dataset`;
}

function isJunk(segment: string): boolean {
  return segment === "__MACOSX" || segment === ".DS_Store" || segment === "Thumbs.db" || segment === "desktop.ini" ||
    segment.startsWith("._");
}
