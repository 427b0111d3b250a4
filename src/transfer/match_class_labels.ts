/**
 * Finds, for each of our class names, the output of a pretrained classifier
 * that means the same emotion (FER-2013 and face-api spell them differently).
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";

/** Spellings of the same emotion, mapped to one form. */
const SYNONYMS: Record<string, string> = {
  happiness: "happy",
  sadness: "sad",
  surprised: "surprise",
  anger: "angry",
  fearful: "fear",
  disgusted: "disgust",
};

const canonical = (name: string) => {
  const lower = name.trim().toLowerCase();
  return SYNONYMS[lower] ?? lower;
};

/**
 * Matches class names to a classifier's labels, case-insensitively and
 * across the spellings happy/happiness, sad/sadness, surprise/surprised,
 * angry/anger, fear/fearful and disgust/disgusted.
 *
 * @param classes Our class names, in label order.
 * @param labels The classifier's output labels, in output order.
 * @param options `source`: the classifier's name, for the message; `fix`: what the message
 *   tells the user to do about an unmatched class. @default "evaluating a pretrained classifier
 *   needs every class in dataset.classes to be one of them"
 * @returns The output column of each class.
 * @throws {ConfigError} When a class has no matching label.
 * @example
 * ```ts
 * const columns = matchClassLabels(["happy", "surprise"], ["neutral", "happy", "surprised"], { source: "face_api_expression" });
 * console.assert(columns.join() === "1,2");
 * ```
 */
export function matchClassLabels(
  classes: readonly string[],
  labels: readonly string[],
  options: { source: string; fix?: string },
): number[] {
  const { source, fix = "evaluating a pretrained classifier needs every class in dataset.classes to be one of them" } = options;
  const wanted = labels.map(canonical);
  return classes.map((name) => {
    const column = wanted.indexOf(canonical(name));
    if (column < 0) {
      throw new ConfigError(
        `Class "${name}" is not among the outputs of ${source} (${labels.join(", ")}); ${fix}`,
      );
    }
    return column;
  });
}
