/**
 * The answers template of `fer data datasheet --template`, as a file's text.
 *
 * @module
 */
import { DATASHEET_QUESTIONS, datasheetTemplate } from "./datasheet.ts";

/**
 * The answers file to complete, every question a `TODO` placeholder (read as
 * unanswered until replaced). YAML puts each question above its field as a
 * comment and quotes every value, so any text may replace it; JSON is the
 * template object itself.
 *
 * @param format `yaml` or `json`.
 * @returns The file's text, ending in a newline.
 * @example
 * ```ts
 * const text = datasheetTemplateText("yaml");
 * console.assert(text.includes("  # Were the people in it told, and did they consent?\n  consent: "));
 * ```
 */
export function datasheetTemplateText(format: "yaml" | "json"): string {
  const template = datasheetTemplate() as Record<string, unknown>;
  if (format === "json") return JSON.stringify(template, null, 2) + "\n";
  // JSON string literals are valid double-quoted YAML scalars, so quoting needs no YAML library.
  const lines = [
    "# Datasheet answers: what a program cannot measure about the dataset (Gebru et al., Datasheets for Datasets).",
    "# Replace each TODO with what you know, or delete the line: unanswered questions are listed as not known.",
    "# Long answers: write `key: |` and the text indented on the lines below.",
    "# Use: deno task fer data datasheet <root> --answers this-file.yaml",
    "",
    `name: ${JSON.stringify(template.name)}`,
  ];
  for (const [section, questions] of Object.entries(DATASHEET_QUESTIONS)) {
    lines.push("", `${section}:`);
    for (const [key, question] of Object.entries(questions)) {
      lines.push(`  # ${question}`, `  ${key}: ${JSON.stringify(`TODO: ${question}`)}`);
    }
  }
  return lines.join("\n") + "\n";
}
