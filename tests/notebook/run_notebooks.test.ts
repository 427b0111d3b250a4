import { describe, expect, it, onTestFinished } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { ConfigError } from "../../src/core/errors.ts";
import { describeNotebookFailure } from "../../src/notebook/_notebook_failure.ts";
import { runNotebooks } from "../../src/notebook/run_notebooks.ts";
import { tempDir } from "./notebook_fixtures.ts";

const jupyterReady = ["nbconvert", "kernelspec"].every((tool) => spawnSync("jupyter", [tool, "--version"]).status === 0);
const skipReason = jupyterReady
  ? ""
  : " (skipped: Jupyter with nbconvert and kernelspec is not installed; see src/notebook/_jupyter_setup.ts)";

interface Output {
  output_type: string;
  data?: Record<string, unknown>;
  ename?: string;
}
const outputs = (path: string): Output[] =>
  (JSON.parse(readFileSync(path, "utf8")) as { cells: { outputs?: Output[] }[] }).cells.flatMap((cell) => cell.outputs ?? []);

const cell = (source: string) => ({
  cell_type: "code",
  id: crypto.randomUUID().slice(0, 8),
  metadata: {},
  execution_count: null,
  outputs: [],
  source,
});
const notebookJson = (sources: string[]) => ({
  cells: [{ cell_type: "markdown", id: "title", metadata: {}, source: "# t" }, ...sources.map(cell)],
  metadata: { kernelspec: { name: "deno", display_name: "Deno", language: "typescript" } },
  nbformat: 4,
  nbformat_minor: 5,
});

describe("describeNotebookFailure", () => {
  const notebook = notebookJson(["const a = 1;", "// load\nconst rows = await load();\nshow(rows);"]);
  const stderr = [
    "Traceback (most recent call last):",
    '  File "nbclient/client.py", line 915, in _check_raise_for_error',
    "nbclient.exceptions.CellExecutionError: An error occurred while executing the following cell:",
    "------------------",
    "// load",
    "const rows = await load();",
    "show(rows);",
    "------------------",
    "",
    "ReferenceError: load is not defined",
    "    at <anonymous>:1:20",
  ].join("\n");

  it("names the notebook, the cell by position and its first line of code, and the error", () => {
    expect(describeNotebookFailure("02_cnns.ipynb", notebook, stderr)).toBe(
      "Notebook 02_cnns.ipynb failed at cell 3 (code cell 2): const rows = await load();\n" +
        "  ReferenceError: load is not defined\n      at <anonymous>:1:20",
    );
  });

  it("falls back to the end of nbconvert's output when it names no cell", () => {
    expect(describeNotebookFailure("x.ipynb", notebook, "line 1\nKernelDied: kernel died\n")).toBe(
      "Notebook x.ipynb failed at a cell nbconvert did not name\n  line 1\n  KernelDied: kernel died",
    );
  });
});

describe("runNotebooks", () => {
  it("rejects names that match no notebook, listing the notebooks", async () => {
    await expect(runNotebooks({ projectRoot: ".", only: ["99_none"] })).rejects.toThrow(ConfigError);
    await expect(runNotebooks({ projectRoot: ".", only: ["99_none"] })).rejects.toThrow(
      `notebooks: ${readdirSync("notebooks").filter((name) => name.endsWith(".ipynb")).sort().join(", ")}`,
    );
  });
});

describe.skipIf(!jupyterReady)(`runNotebooks with Jupyter${skipReason}`, () => {
  it("executes every notebook in smoke mode and exports HTML, with figures, images and the report", async () => {
    const dir = await tempDir("nb-smoke");
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const runs = await runNotebooks({
      projectRoot: ".",
      smoke: true,
      html: true,
      outDir: join(dir, "out"),
      resultsRoot: join(dir, "results"),
    });
    expect(runs.map((r) => r.notebook)).toEqual(
      readdirSync("notebooks").filter((name) => name.endsWith(".ipynb")).sort().map((name) => resolve("notebooks", name)),
    );
    for (const run of runs) {
      expect(outputs(run.executed).filter((o) => o.output_type === "error")).toEqual([]);
      expect(existsSync(run.html!)).toBe(true);
    }
    const cnn = outputs(runs[1].executed).filter((o) => o.output_type === "display_data");
    // live curves during training, then learning curves, two confusion matrices, per-class scores,
    // the weight-averaged run's live and learning curves, the live curves of the stopped run, its
    // resumption and the run trained in one go beside it (section 8), of the cropped run (section 9), of
    // the one-cycle run (section 10), the range test's curve and the curves of three L2 coefficients (section 11):
    // none lost on the way from the kernel
    expect(cnn.filter((o) => o.data?.["application/vnd.plotly.v1+json"]).length).toBe(14);
    expect(cnn.filter((o) => o.data?.["image/png"] && !o.data?.["application/vnd.plotly.v1+json"]).length).toBe(1);
    const html = readFileSync(runs[1].html!, "utf8");
    expect(html.includes("learning curves")).toBe(true);
    expect(html.includes("fer: plotly.js embedded")).toBe(true);
    // Section 8: a run stopped after its first epoch and resumed ends as the run trained in one go.
    expect(JSON.stringify(outputs(runs[1].executed))).toMatch(/trained in one go: (\d+) of \1 metrics match exactly/);
    // Section 9: the cropped run paired with section 1's, then scored over the ten crops.
    expect(JSON.stringify(outputs(runs[1].executed))).toMatch(/-crop4-\S+ over the ten crops \(centre and four corners, mirrored\): validation n=\d+ 0\.\d+ \[/);
    // Section 10: the one-cycle run paired with section 1's, and its rates at the cycle's landmarks.
    expect(JSON.stringify(outputs(runs[1].executed))).toMatch(/-one-cycle-\S+: the rate and beta1 at the landmarks of its steps/);
    // Section 11: the range test of the first config, as fer run --lr-find prints it.
    expect(JSON.stringify(outputs(runs[1].executed))).toMatch(/Range test of \S+ \(\w+, float32; adam, batch \d+\): \d+ of 20 steps/);
    expect(JSON.stringify(outputs(runs[1].executed))).toContain("learning-rate range test");
    expect(JSON.stringify(outputs(runs[1].executed))).toMatch(/Lowest curve: L2 (0|0\.0001|0\.001) /);
    expect(JSON.stringify(outputs(runs[1].executed))).toContain("range tests compared");
    const transfer = outputs(runs[2].executed).filter((o) => o.output_type === "display_data");
    // live curves and learning curves of two transfer runs, three confusion matrices, then the
    // live curves of the pretraining, fine-tuning and from-scratch runs of section 5
    expect(transfer.filter((o) => o.data?.["application/vnd.plotly.v1+json"]).length).toBe(10);
    const transferText = JSON.stringify(outputs(runs[2].executed));
    expect(transferText).toMatch(/Starting weights: run \S+-pretrain_fer2013_small-smoke-\S+ \(pretrain_fer2013_small-smoke\)/);
    expect(transfer.some((o) => /finetune_4class_small-smoke[\s\S]*scratch_4class_small-smoke/.test(String(o.data?.["text/html"] ?? "")))).toBe(true);
    const ensembles = outputs(runs[3].executed).filter((o) => o.output_type === "display_data");
    // live curves of the three members trained, scores, diversity, two confusion matrices, the
    // learning curves of section 6's distilled run and the live curves of section 7's 7-class member
    expect(ensembles.filter((o) => o.data?.["application/vnd.plotly.v1+json"]).length).toBe(9);
    expect(readFileSync(runs[3].html!, "utf8").includes("member diversity")).toBe(true);
    // section 6 of 04: the first member distilled from the three, beside that member
    const ensembleText = JSON.stringify(outputs(runs[3].executed));
    expect(ensembleText).toMatch(/Teacher \S+-vgg_like-smoke-\S+: its top class is the label for/);
    expect(ensembleText).toContain("small_cnn distilled from the 3 members, against the member itself (SYNTHETIC data)");
    // section 7 of 04: a member trained on seven classes, read on the four
    expect(ensembleText).toMatch(/Member \S+-pretrain_fer2013_small-smoke-\S+, trained on \S+synthetic_faces_7, predicted on \S+synthetic_faces \(happy, sad, surprise, neutral\)/);
    expect(ensembleText).toContain("small_cnn and pretrain_fer2013_small (restricted to happy, sad, surprise, neutral), stacked (SYNTHETIC data)");
    // section 6 of 07: the reference and the noise-augmented run side by side, per perturbation
    const robustnessText = JSON.stringify(outputs(runs[6].executed));
    expect(robustnessText).toContain("Accuracy per perturbation (mean of severities 1-5), and each run minus the first");
    expect(robustnessText).toMatch(/perturbation +family +scratch_4class_small-smoke-\w+ +noise_augment_small-smoke-\w+ +noise_augment_small-smoke-\w+ - first/);
    // each difference with its paired interval over the images
    expect(robustnessText).toMatch(/clean +\d\.\d{3} +\d\.\d{3} +[+-]\d\.\d{3} \[[+-]\d\.\d{3}, [+-]\d\.\d{3}\]/);
    // and the same two configs over training seeds 42, 43 and 44, with t intervals over the seeds
    expect(robustnessText).toContain("Training for robustness across training seeds 42, 43, 44");
    expect(robustnessText).toMatch(/clean +\d\.\d{3} +\d\.\d{3} +[+-]\d\.\d{3} \[[+-]\d\.\d{3}, [+-]\d\.\d{3}\]\\n/);
    expect(existsSync(join(dir, "results", "notebooks", "report.html"))).toBe(true);
  }, 1_200_000); // eight notebooks on two cores beside the other test files: 300-410 s measured, room for a slower CI machine

  it("stops at a failing cell and names the notebook and the cell", async () => {
    const project = await tempDir("nb-fail");
    onTestFinished(() => rm(project, { recursive: true, force: true }));
    await mkdir(join(project, "notebooks"));
    await writeFile(
      join(project, "notebooks", "bad.ipynb"),
      JSON.stringify(notebookJson(["const a = 1;", 'throw new Error("Boom in cell")'])),
    );
    await expect(runNotebooks({ projectRoot: project, outDir: join(project, "out") })).rejects.toThrow(
      /^Notebook bad\.ipynb failed at cell 3 \(code cell 2\): throw new Error\("Boom in cell"\)\n {2}Error: Boom in cell/,
    );
  }, 120_000);
});
