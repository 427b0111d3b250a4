/**
 * Turns zod issues into one ConfigError whose lines each name a field.
 *
 * @module
 */
import type { z } from "zod";
import { ConfigError } from "../core/errors.ts";

/**
 * Formats validation issues as `<source>: <path>: <problem>` lines.
 *
 * @param issues zod issues.
 * @param source Where the config came from.
 * @returns The error to throw.
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
      return note ? `missing or unknown "${note}"; see the allowed values in src/experiment/run_config.ts` : issue.message;
    }
    default:
      return issue.message;
  }
}
