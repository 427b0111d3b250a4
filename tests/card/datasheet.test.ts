import { beforeAll, describe, expect, it } from "vitest";
import { copyFile, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../../src/core/errors.ts";
import { type DataReport, dataReport } from "../../src/data/data_report.ts";
import { generateSyntheticDataset } from "../../src/data/synthetic_faces.ts";
import { buildDatasheet, datasheetMarkdown, datasheetTemplate, parseDatasheetAnswers } from "../../src/card/datasheet.ts";
import { readDatasheetAnswers } from "../../src/card/read_datasheet_answers.ts";
import { datasheetTemplateText } from "../../src/card/datasheet_template_text.ts";
import { main } from "../../src/cli.ts";

let root = "";
let report: DataReport;

beforeAll(async () => {
  const base = await mkdtemp(join(tmpdir(), "fer-datasheet-"));
  root = join(base, "faces");
  await generateSyntheticDataset(root, { perClass: { train: 3, validation: 2, test: 1 }, seed: 11 });
  // One validation image copied into train under another label: a leak across splits and a label conflict.
  await copyFile(join(root, "validation/happy", (await listFirst(join(root, "validation/happy")))), join(root, "train/sad/copied.png"));
  report = await dataReport(root);
}, 60_000);

async function listFirst(dir: string): Promise<string> {
  const { readdir } = await import("node:fs/promises");
  return (await readdir(dir)).filter((n) => n.endsWith(".png"))[0];
}

describe("buildDatasheet", () => {
  it("fills composition from the data report: counts, leakage and the label conflict", () => {
    const sheet = buildDatasheet(report, {});
    const measured = sheet.sections.composition.filter((e) => e.source === "measured").map((e) => `${e.question} ${e.answer}`);
    expect(measured.find((t) => t.startsWith("How many instances"))).toContain(`${report.total} images`);
    expect(measured.find((t) => t.startsWith("Exact duplicates across splits"))).toMatch(/^Exact duplicates across splits.* 1 groups of identical files span splits, 2 files/);
    expect(measured.find((t) => t.startsWith("The same image under two labels"))).toContain("1 groups");
    expect(measured.find((t) => t.startsWith("Synthetic?"))).toContain("Yes");
  });

  it("marks every question a program cannot answer as not known until answered", () => {
    const empty = buildDatasheet(report, {});
    const consent = empty.sections.collection.find((e) => e.question.includes("consent"));
    expect(consent?.source).toBe("unanswered");
    const answered = buildDatasheet(report, { collection: { consent: "Drawn faces; nobody to ask" } });
    expect(answered.sections.collection.find((e) => e.question.includes("consent"))).toMatchObject({ source: "answered", answer: "Drawn faces; nobody to ask" });
    expect(answered.unanswered).toBe(empty.unanswered - 1);
  });

  it("treats the template's TODO placeholders as unanswered", () => {
    expect(buildDatasheet(report, datasheetTemplate()).unanswered).toBe(buildDatasheet(report, {}).unanswered);
  });

  it("renders the seven sections in markdown", () => {
    const md = datasheetMarkdown(buildDatasheet(report, {}));
    for (const section of ["Motivation", "Composition", "Collection", "Preprocessing", "Uses", "Distribution", "Maintenance"]) {
      expect(md).toContain(`## ${section}`);
    }
    expect(md).toContain("(SYNTHETIC)");
  });
});

describe("parseDatasheetAnswers", () => {
  it("names an unknown field and the allowed ones", () => {
    expect(() => parseDatasheetAnswers({ collection: { permission: "yes" } }, "a.json")).toThrow(ConfigError);
    expect(() => parseDatasheetAnswers({ collection: { permission: "yes" } }, "a.json")).toThrow(/permission.*allowed fields there: source, process, consent, timeframe/);
  });

  it("accepts the shipped answers for the real dataset", async () => {
    const shipped = JSON.parse(await readFile("datasheets/facial_emotion_images.json", "utf8"));
    expect(parseDatasheetAnswers(shipped, "shipped").collection?.consent).toMatch(/Not known/);
  });
});

describe("fer data datasheet", () => {
  it("writes datasheet.md and .json, taking answers from --answers", async () => {
    const out = join(root, "..", "sheet");
    const answers = join(root, "..", "answers.json");
    await writeFile(answers, JSON.stringify({ name: "tiny faces", uses: { intended: "tests" } }));
    const lines: string[] = [];
    const code = await main(["data", "datasheet", root, "--answers", answers, "--out", out], { out: (t) => lines.push(t), err: () => {} });
    expect(code).toBe(0);
    expect(lines.join("")).toContain("Datasheet of tiny faces (SYNTHETIC)");
    expect(await readFile(join(out, "datasheet.md"), "utf8")).toContain("**What is it meant to be used for?** tests");
    expect(JSON.parse(await readFile(join(out, "datasheet.json"), "utf8")).name).toBe("tiny faces");
  });

  it("writes a template once and refuses to overwrite it", async () => {
    const path = join(root, "..", "template.json");
    const io = { out: () => {}, err: () => {} };
    expect(await main(["data", "datasheet", "--template", path], io)).toBe(0);
    expect(JSON.parse(await readFile(path, "utf8")).collection.consent).toMatch(/^TODO/);
    const err: string[] = [];
    expect(await main(["data", "datasheet", "--template", path], { out: () => {}, err: (t) => err.push(t) })).toBe(1);
    expect(err.join("")).toContain("never overwrites");
  });

  it("reports a broken answers file", async () => {
    const bad = join(root, "..", "bad.json");
    await writeFile(bad, "{ not json");
    const err: string[] = [];
    expect(await main(["data", "datasheet", root, "--answers", bad], { out: () => {}, err: (t) => err.push(t) })).toBe(1);
    expect(err.join("")).toContain("is not valid JSON");
  });

  it("takes YAML answers, and writes a YAML template with the questions as comments", async () => {
    const template = join(root, "..", "template.yaml");
    expect(await main(["data", "datasheet", "--template", template], { out: () => {}, err: () => {} })).toBe(0);
    const text = await readFile(template, "utf8");
    expect(text).toContain("  # Were the people in it told, and did they consent?\n  consent: \"TODO: ");
    // Fill in two answers of the template, as a user would.
    const answers = join(root, "..", "answers.yaml");
    await writeFile(
      answers,
      text.replace(/name: .*/, "name: tiny faces (yaml)")
        .replace(/consent: .*/, "consent: |\n    Drawn by a program;\n    nobody to ask.")
        .replace(/timeframe: .*/, "timeframe: 2026"),
    );
    const out = join(root, "..", "sheet-yaml");
    const lines: string[] = [];
    expect(await main(["data", "datasheet", root, "--answers", answers, "--out", out], { out: (t) => lines.push(t), err: () => {} })).toBe(0);
    expect(lines.join("")).toContain("Datasheet of tiny faces (yaml) (SYNTHETIC)");
    const sheet = JSON.parse(await readFile(join(out, "datasheet.json"), "utf8"));
    const collection = Object.fromEntries(sheet.sections.collection.map((e: { question: string; answer: string }) => [e.question, e.answer]));
    expect(collection["Were the people in it told, and did they consent?"]).toBe("Drawn by a program;\nnobody to ask.");
    // Every value is text: a year stays "2026", not a number the schema would refuse.
    expect(collection["Over what time was it collected?"]).toBe("2026");
    expect(sheet.unanswered).toBe(buildDatasheet(report, datasheetTemplate()).unanswered - 2);
  });
});

describe("readDatasheetAnswers", () => {
  const write = async (name: string, text: string) => {
    const path = join(root, "..", name);
    await writeFile(path, text);
    return path;
  };

  it("reads the same answers from YAML and JSON, blank YAML values as unanswered", async () => {
    const yaml = await write("same.yaml", "name: faces\ncollection:\n  consent: no\n  source:\n  process: ~\nuses:\n  intended: >\n    research\n    only\n");
    const json = await write("same.json", JSON.stringify({ name: "faces", collection: { consent: "no" }, uses: { intended: "research only" } }));
    expect(await readDatasheetAnswers(yaml)).toEqual(await readDatasheetAnswers(json));
  });

  it("names an unknown field, its line and the fields allowed there", async () => {
    const path = await write("unknown.yaml", "name: faces\ncollection:\n  consent: unknown\n  permission: yes\n");
    await expect(readDatasheetAnswers(path)).rejects.toThrow(ConfigError);
    await expect(readDatasheetAnswers(path)).rejects.toThrow(
      /unknown\.yaml \(line 4\): .*permission.* at collection; allowed fields there: source, process, consent, timeframe/,
    );
    const section = await write("section.yml", "name: faces\nconsent: none\n");
    await expect(readDatasheetAnswers(section)).rejects.toThrow(/line 2.*consent.*allowed fields there: name, motivation, composition/);
  });

  it("says where a YAML file is broken, and what to do", async () => {
    const broken = await write("broken.yaml", "collection:\n  consent: [unknown\n");
    await expect(readDatasheetAnswers(broken)).rejects.toThrow(/broken\.yaml is not valid YAML at line \d+, column \d+: .*write a new one with: deno task fer data datasheet --template/);
    const tabs = await write("tabs.yaml", "collection:\n\tconsent: unknown\n");
    await expect(readDatasheetAnswers(tabs)).rejects.toThrow(/not valid YAML at line 2, column 1: Tabs/);
    const twice = await write("twice.yaml", "name: a\nname: b\n");
    await expect(readDatasheetAnswers(twice)).rejects.toThrow(/not valid YAML at line 2.*unique/);
  });

  it("refuses an empty file, a list, a nested section and an unknown extension", async () => {
    await expect(readDatasheetAnswers(await write("empty.yaml", "# nothing yet\n"))).rejects.toThrow(/is empty; fill in a template/);
    await expect(readDatasheetAnswers(await write("list.yaml", "- consent\n"))).rejects.toThrow(/expected object.*allowed fields there: name, motivation/);
    await expect(readDatasheetAnswers(await write("deep.yaml", "collection:\n  consent:\n    who: nobody\n"))).rejects.toThrow(/line 2.*expected string.*at collection\.consent/);
    await expect(readDatasheetAnswers(await write("answers.txt", "name: x\n"))).rejects.toThrow(/name it \.yaml, \.yml or \.json/);
  });

  it("reads back the YAML template it writes", async () => {
    const path = await write("round.yaml", datasheetTemplateText("yaml"));
    expect(await readDatasheetAnswers(path)).toEqual(datasheetTemplate());
  });
});

