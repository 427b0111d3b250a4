/**
 * Groups a program can make honestly from the images themselves when no
 * demographic labels exist: lighting (mean gray level), contrast (spread of
 * gray levels), and the source split of FER-2013 named in the file name.
 * They describe image conditions, not people.
 *
 * @module
 */
import { imageLength, type ImageSet } from "../data/image_set.ts";

/** The columns {@linkcode imageConditionGroups} writes. */
export const IMAGE_CONDITION_COLUMNS = ["brightness", "contrast", "source"] as const;

/**
 * Puts every image in a brightness and a contrast tercile of the set (dark /
 * medium / bright, low / medium / high) and names its source from the file
 * name's FER-2013 prefix (`Training_`, `PublicTest_`, `PrivateTest_`, else "other").
 *
 * @param set The images.
 * @returns A groups CSV (header `path,brightness,contrast,source`), one row per image.
 * @example
 * ```ts
 * const csv = imageConditionGroups(validation);
 * console.assert(csv.startsWith("path,brightness,contrast,source"));
 * ```
 */
export function imageConditionGroups(set: ImageSet): string {
  const length = imageLength(set);
  const means: number[] = [], spreads: number[] = [];
  for (let i = 0; i < set.count; i++) {
    const pixels = set.pixels.subarray(i * length, (i + 1) * length);
    let sum = 0, squares = 0;
    for (const v of pixels) {
      sum += v;
      squares += v * v;
    }
    const mean = sum / length;
    means.push(mean);
    spreads.push(Math.sqrt(Math.max(0, squares / length - mean * mean)));
  }
  const tercile = (values: number[], names: [string, string, string]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const low = sorted[Math.floor(sorted.length / 3)], high = sorted[Math.floor((2 * sorted.length) / 3)];
    return values.map((v) => (v < low ? names[0] : v < high ? names[1] : names[2]));
  };
  const brightness = tercile(means, ["dark", "medium", "bright"]);
  const contrast = tercile(spreads, ["low", "medium", "high"]);
  const rows = set.paths.map((path, i) => {
    const name = path.split("/").pop() ?? "";
    const source = /^(Training|PublicTest|PrivateTest)_/.exec(name)?.[1] ?? "other";
    return [quote(path), brightness[i], contrast[i], source].join(",");
  });
  return [["path", ...IMAGE_CONDITION_COLUMNS].join(","), ...rows].join("\n") + "\n";
}

function quote(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
