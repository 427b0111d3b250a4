/**
 * Turns zod issues into one ConfigError whose lines each name a field. Every
 * config schema (run, ensemble, TTA, sweep) reports through it, so it lives
 * on the ground floor.
 *
 * @module
 */
import type { z } from "zod";
import { ConfigError } from "./errors.ts";

/**
 * Formats validation issues as `<source>: <path>: <problem>` lines.
 *
 * @param issues zod issues.
 * @param source Where the config came from.
 * @returns The error to throw.
 * @example
 * ```ts
 * const parsed = z.strictObject({ seed: z.number() }).safeParse({ sed: 1 });
 * const error = formatConfigIssues(parsed.error!.issues, "run.json");
 * console.assert(error.message.startsWith("Invalid config in run.json:"));
 * ```
 */
export function formatConfigIssues(issues: readonly z.core.$ZodIssue[], source: string): ConfigError {
  const lines = issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join(".") : "(top level)";
    return `${path}: ${describeIssue(issue)}`;
  });
  return new ConfigError(`Invalid config in ${source}:\n  ${lines.join("\n  ")}`);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "unrecognized_keys":
      return `unknown field ${issue.keys.map((k) => `"${k}"`).join(", ")}; remove it or check its spelling`;
    case "invalid_value":
      return `value not allowed; allowed: ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "invalid_union": {
      const note = (issue as { discriminator?: string }).discriminator;
      // A union made with unknownTagError carries its own message naming the allowed values.
      if (issue.message !== "Invalid input") return issue.message;
      return note ? `missing or unknown "${note}"; see the allowed values in src/experiment/run_config.ts` : issue.message;
    }
    default:
      return issue.message;
  }
}

/**
 * The zod `error` option of a discriminated union: a missing or unknown tag
 * is reported with the value found and every allowed value.
 *
 * @param key The tag field, e.g. `family`.
 * @param allowed Its allowed values, in the order to list them.
 * @returns The option object to pass as the third argument of `z.discriminatedUnion`.
 * @example
 * ```ts
 * const schema = z.discriminatedUnion("name", [z.object({ name: z.literal("adam") })], unknownTagError("name", ["adam"]));
 * console.assert(!schema.safeParse({ name: "adma" }).success);
 * ```
 */
export function unknownTagError(key: string, allowed: readonly string[]): { error: (issue: { code?: string; input?: unknown }) => string | undefined } {
  return {
    error: (issue) => {
      if (issue.code !== "invalid_union") return undefined;
      const found = (issue.input as Record<string, unknown> | undefined)?.[key];
      return `${found === undefined ? "missing" : `unknown ${JSON.stringify(found)} as`} "${key}"; allowed: ${allowed.join(", ")}`;
    },
  };
}
