/**
 * A dataset's datasheet (Gebru et al., Datasheets for Datasets): the seven
 * sections, filled from the data report where a program can measure the
 * answer, and from an answers file the user completes where it cannot
 * (purpose, collection, consent, licence, maintenance).
 *
 * @module
 */
import { z } from "zod";
import { ConfigError } from "../core/errors.ts";
import type { DataReport } from "../data/data_report.ts";

const answer = z.string().describe("free text; leave out what you do not know");

/** The answers file's schema: one optional text per question a program cannot answer. */
export const datasheetAnswersSchema = z.strictObject({
  name: answer.optional(),
  motivation: z.strictObject({ purpose: answer.optional(), creators: answer.optional(), funding: answer.optional() }).optional(),
  composition: z.strictObject({ instances: answer.optional(), labels: answer.optional(), sensitive: answer.optional(), labelNoise: answer.optional() }).optional(),
  collection: z.strictObject({ source: answer.optional(), process: answer.optional(), consent: answer.optional(), timeframe: answer.optional() }).optional(),
  preprocessing: z.strictObject({ steps: answer.optional(), rawKept: answer.optional() }).optional(),
  uses: z.strictObject({ intended: answer.optional(), outOfScope: answer.optional(), risks: answer.optional() }).optional(),
  distribution: z.strictObject({ license: answer.optional(), access: answer.optional() }).optional(),
  maintenance: z.strictObject({ maintainer: answer.optional(), updates: answer.optional(), errata: answer.optional() }).optional(),
});

/** What the user tells the datasheet (see {@linkcode datasheetAnswersSchema}). */
export type DatasheetAnswers = z.infer<typeof datasheetAnswersSchema>;

/** The questions behind each answer field, by section. */
export const DATASHEET_QUESTIONS: Record<string, Record<string, string>> = {
  motivation: {
    purpose: "For what purpose was the dataset created?",
    creators: "Who created it, on behalf of whom?",
    funding: "Who funded its creation?",
  },
  composition: {
    instances: "What do the instances represent?",
    labels: "How were the labels made, and by whom?",
    sensitive: "Does it identify people or hold sensitive data (faces are biometric data)?",
    labelNoise: "What is known about label errors?",
  },
  collection: {
    source: "Where did the data come from?",
    process: "How was it collected and selected?",
    consent: "Were the people in it told, and did they consent?",
    timeframe: "Over what time was it collected?",
  },
  preprocessing: {
    steps: "What cleaning, cropping or resizing was done?",
    rawKept: "Is the raw data kept?",
  },
  uses: {
    intended: "What is it meant to be used for?",
    outOfScope: "What should it not be used for?",
    risks: "What could go wrong when it is used (bias, harm)?",
  },
  distribution: {
    license: "Under what licence or terms is it distributed?",
    access: "How is it obtained?",
  },
  maintenance: {
    maintainer: "Who maintains it, and how are they reached?",
    updates: "Will it be updated, and how are users told?",
    errata: "Is there a list of known errors?",
  },
};

/** One question and its answer, with where the answer came from. */
export interface DatasheetEntry {
  question: string;
  answer: string;
  /** `measured` by the data report, `answered` in the answers file, or `unanswered`. */
  source: "measured" | "answered" | "unanswered";
}

/** A datasheet: the dataset and its seven sections. */
export interface Datasheet {
  name: string;
  root: string;
  synthetic: boolean;
  sections: Record<"motivation" | "composition" | "collection" | "preprocessing" | "uses" | "distribution" | "maintenance", DatasheetEntry[]>;
  /** Questions nobody answered yet (count). */
  unanswered: number;
}

/**
 * Checks an answers file's content.
 *
 * @param value Parsed JSON.
 * @param source Where it came from, for messages.
 * @returns The answers.
 * @throws {ConfigError} Naming the first wrong or unknown field and the fields allowed there.
 * @example
 * ```ts
 * const answers = parseDatasheetAnswers({ collection: { consent: "unknown" } }, "answers.json");
 * console.assert(answers.collection?.consent === "unknown");
 * ```
 */
export function parseDatasheetAnswers(value: unknown, source: string): DatasheetAnswers {
  const parsed = datasheetAnswersSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const at = issue.path.join(".") || "(top level)";
  // The object the wrong field sits in: the path itself for unknown keys, its parent otherwise.
  const container = issue.code === "unrecognized_keys" ? issue.path : issue.path.slice(0, -1);
  const allowed = container.length === 0 ? ["name", ...Object.keys(DATASHEET_QUESTIONS)] : Object.keys(DATASHEET_QUESTIONS[String(container[0])] ?? {});
  const keys = issue.code === "unrecognized_keys" ? ` (${issue.keys.join(", ")})` : "";
  throw new ConfigError(
    `Datasheet answers ${source}: ${issue.message}${keys} at ${at}; allowed fields there: ${allowed.join(", ")}, each a text (write a template with: deno task fer data datasheet --template answers.yaml)`,
  );
}

/**
 * An answers file with every question as a placeholder to overwrite or delete.
 *
 * @returns The template (every value starts "TODO").
 * @example
 * ```ts
 * console.assert(datasheetTemplate().collection?.consent?.startsWith("TODO"));
 * ```
 */
export function datasheetTemplate(): DatasheetAnswers {
  return Object.fromEntries([
    ["name", "TODO: the dataset's name"],
    ...Object.entries(DATASHEET_QUESTIONS).map(([section, questions]) => [
      section,
      Object.fromEntries(Object.entries(questions).map(([key, question]) => [key, `TODO: ${question}`])),
    ]),
  ]) as DatasheetAnswers;
}

/**
 * Builds the datasheet: composition and preprocessing facts measured by the
 * data report, the rest from the answers (placeholders starting "TODO" count as unanswered).
 *
 * @param report The data report of the dataset (`dataReport`).
 * @param answers What the user filled in.
 * @returns The datasheet.
 * @example
 * ```ts
 * const sheet = buildDatasheet(await dataReport(root), {});
 * console.assert(sheet.sections.composition.some((e) => e.source === "measured"));
 * ```
 */
export function buildDatasheet(report: DataReport, answers: DatasheetAnswers): Datasheet {
  const given = (section: string, key: string): DatasheetEntry => {
    const text = (answers as Record<string, Record<string, string | undefined> | undefined>)[section]?.[key];
    const question = DATASHEET_QUESTIONS[section][key];
    return text && !text.startsWith("TODO")
      ? { question, answer: text, source: "answered" }
      : { question, answer: "Not known: nobody has answered this yet (complete the answers file)", source: "unanswered" };
  };
  const section = (name: string) => Object.keys(DATASHEET_QUESTIONS[name]).map((key) => given(name, key));
  const measured = (question: string, text: string): DatasheetEntry => ({ question, answer: text, source: "measured" });
  const sections: Datasheet["sections"] = {
    motivation: section("motivation"),
    composition: [...section("composition"), ...compositionFacts(report).map(([q, a]) => measured(q, a))],
    collection: section("collection"),
    preprocessing: [
      ...section("preprocessing"),
      measured("Image format (measured)", formatFact(report)),
      measured("Sharpness per split (measured: median adjacent-pixel difference)", sharpnessFact(report)),
    ],
    uses: section("uses"),
    distribution: section("distribution"),
    maintenance: section("maintenance"),
  };
  return {
    name: answers.name && !answers.name.startsWith("TODO") ? answers.name : report.root.split("/").filter(Boolean).pop() ?? report.root,
    root: report.root,
    synthetic: report.synthetic,
    sections,
    unanswered: Object.values(sections).flat().filter((e) => e.source === "unanswered").length,
  };
}

/** The data report's composition facts, as question/answer pairs. */
function compositionFacts(report: DataReport): [string, string][] {
  const perSplit = report.splits.map((split) => {
    const counts = report.counts[split] ?? {};
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    return `${split} ${total} (${report.classes.map((c) => `${c} ${counts[c] ?? 0}`).join(", ")})`;
  });
  const balance = report.splits.map((split) => {
    const values = report.classes.map((c) => report.counts[split]?.[c] ?? 0);
    const total = values.reduce((a, b) => a + b, 0);
    return `${split}: largest class ${(100 * Math.max(...values) / Math.max(total, 1)).toFixed(1)} %, smallest ${(100 * Math.min(...values) / Math.max(total, 1)).toFixed(1)} %`;
  });
  const d = report.exactDuplicates;
  const within = Object.entries(d.withinSplit).map(([split, s]) => `${split} ${s?.redundantCopies ?? 0}`).join(", ");
  const nearSplits = new Map<string, number>();
  for (const pair of report.nearDuplicates) {
    const key = `${pair.a.split("/")[0]}-${pair.b.split("/")[0]}`;
    nearSplits.set(key, (nearSplits.get(key) ?? 0) + 1);
  }
  return [
    ["How many instances, per split and class (measured)?", `${report.total} images: ${perSplit.join("; ")}`],
    ["Class balance (measured)", balance.join("; ")],
    ["Exact duplicates within splits (measured)", `${d.redundantCopies} redundant copies (${within})`],
    [
      "Exact duplicates across splits: leakage (measured)",
      d.acrossSplits.length === 0
        ? "None found"
        : `${d.acrossSplits.length} groups of identical files span splits, ${d.acrossSplits.reduce((n, g) => n + g.length, 0)} files; scores on those images measure memory, not generalisation`,
    ],
    [
      "Near duplicates across splits (measured: perceptual hash)",
      `${report.nearDuplicates.length} pairs within Hamming distance ${report.settings.hammingThreshold}` +
        (nearSplits.size ? ` (${[...nearSplits].map(([k, n]) => `${k} ${n}`).join(", ")})` : ""),
    ],
    [
      "The same image under two labels: label noise (measured)",
      d.crossLabel.length === 0 ? "None found" : `${d.crossLabel.length} groups, e.g. ${d.crossLabel[0].join(" = ")}`,
    ],
    ["Blank or near-uniform images (measured)", `${report.blank.length} blank, ${report.lowContrast.length} low contrast, ${report.unreadable.length} unreadable`],
    ["Synthetic?", report.synthetic ? "Yes: drawn faces, not photographs of people" : "No marker file: treated as real images"],
  ];
}

function formatFact(report: DataReport): string {
  return report.nonStandard.length === 0
    ? `Every image is ${report.settings.size}x${report.settings.size} one-channel grayscale`
    : `${report.nonStandard.length} images are not ${report.settings.size}x${report.settings.size} grayscale (resized and converted when loaded)`;
}

function sharpnessFact(report: DataReport): string {
  const parts = Object.entries(report.sharpness.perSplit).map(([split, s]) => `${split} ${s?.median.toFixed(1)}`);
  return `${parts.join(", ")}; ratio ${report.sharpness.ratio.toFixed(2)}${report.sharpness.shifted ? " (SHIFTED: the splits were processed differently)" : ""}`;
}

/**
 * The datasheet as markdown, answers marked by where they came from.
 *
 * @param sheet The datasheet.
 * @returns Markdown text.
 * @example
 * ```ts
 * console.assert(datasheetMarkdown(sheet).startsWith("# Datasheet"));
 * ```
 */
export function datasheetMarkdown(sheet: Datasheet): string {
  const lines = [
    `# Datasheet: ${sheet.name}${sheet.synthetic ? " (SYNTHETIC)" : ""}`,
    "",
    `Dataset root: \`${sheet.root}\`. Following Gebru et al., *Datasheets for Datasets* (2021). Answers marked`,
    "*measured* come from `fer data report`; *answered* from the answers file; *not known* are open questions.",
    sheet.unanswered > 0 ? `\n**${sheet.unanswered} questions are unanswered.**` : "",
  ];
  for (const [name, entries] of Object.entries(sheet.sections)) {
    lines.push("", `## ${name[0].toUpperCase()}${name.slice(1)}`, "");
    for (const e of entries) lines.push(`- **${e.question}** ${e.answer}${e.source === "answered" ? "" : ` *(${e.source === "measured" ? "measured" : "not known"})*`}`);
  }
  return lines.join("\n") + "\n";
}
