import { beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import process from "node:process";
import { COMMANDS, main } from "../src/cli.ts";

const PROJECT = fileURLToPath(new URL("..", import.meta.url));

/** Runs `deno run -A src/cli.ts ...args` as a subprocess (process.execPath is deno under `deno task test`). */
function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ["run", "-A", "src/cli.ts", ...args], { cwd: PROJECT }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      done({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** Runs the CLI in process, collecting what it writes. */
async function inProcess(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(args, { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

describe("the fer CLI as a subprocess", () => {
  it("prints the commands for --help and exits 0", async () => {
    const { code, stdout } = await cli(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("Usage: deno task fer <command>");
    expect(stdout).toMatch(/^ {2}data +Import, check and generate datasets$/m);
  });

  it("lists the known commands for an unknown one, without a stack trace, and exits 1", async () => {
    const { code, stderr } = await cli(["trian"]);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(`ConfigError: Unknown command "trian"; known: ${Object.keys(COMMANDS).join(", ")} (run deno task fer --help)`);
    expect(Object.keys(COMMANDS)).toEqual(expect.arrayContaining(["run", "rerun", "eval", "compare", "list", "show", "data", "sweep"]));
  });

  describe("data synth, then data report on its output", () => {
    let base: string;
    let synth: Awaited<ReturnType<typeof cli>>;
    let report: Awaited<ReturnType<typeof cli>>;
    beforeAll(async () => {
      base = await mkdtemp(join(tmpdir(), "fer-cli-"));
      synth = await cli(["data", "synth", "--out", join(base, "synthetic"), "--per-class", "6,2,2", "--seed", "3"]);
      report = await cli(["data", "report", join(base, "synthetic"), "--out", join(base, "report")]);
    });

    it("generates the synthetic dataset and says it is synthetic", async () => {
      expect(synth.code).toBe(0);
      expect(synth.stdout).toContain("Wrote 40 SYNTHETIC images");
      expect((await readdir(join(base, "synthetic"))).sort()).toEqual(["SYNTHETIC.json", "test", "train", "validation"]);
      expect(JSON.parse(await readFile(join(base, "synthetic", "SYNTHETIC.json"), "utf8")).seed).toBe(3);
    });

    it("prints a readable summary table and writes the report files", async () => {
      expect(report.code).toBe(0);
      expect(report.stdout).toContain("**Synthetic dataset**");
      expect(report.stdout).toMatch(/\| train +\| +6 \| +6 \| +6 \| +6 \| +24 \|/);
      expect((await readdir(join(base, "report"))).sort()).toEqual(["counts.html", "mean_faces.png", "report.json", "report.md"]);
    });
  });
});

describe("the fer CLI in process", () => {
  it("prints the data group's subcommands for data --help", async () => {
    const { code, out } = await inProcess(["data", "--help"]);
    expect(code).toBe(0);
    expect(out).toMatch(/import +Import a dataset/);
    expect(out).toMatch(/synth +Generate a synthetic face dataset/);
  });

  it("prints a subcommand's options for --help", async () => {
    const { code, out } = await inProcess(["data", "import", "--help"]);
    expect(code).toBe(0);
    expect(out).toContain("--overwrite");
  });

  it("names the known data commands for an unknown one", async () => {
    const { code, err } = await inProcess(["data", "clean"]);
    expect(code).toBe(1);
    expect(err).toBe('ConfigError: Unknown command "data clean"; known: data import, data report, data synth, data datasheet\n');
  });

  it("reports a missing --out as a usage error", async () => {
    const { code, err } = await inProcess(["data", "import", "faces.zip"]);
    expect(code).toBe(1);
    expect(err).toContain("Missing --out for data import");
  });

  it("reports an unknown option and lists the known ones", async () => {
    const { code, err } = await inProcess(["data", "synth", "--out", "x", "--sed", "3"]);
    expect(code).toBe(1);
    expect(err).toContain("Unknown option --sed for data synth; known: --out, --per-class, --seed, --classes, --overwrite");
  });

  it("reports a DatasetError's message without a stack trace", async () => {
    const { code, err } = await inProcess(["data", "report", "/no/such/root", "--out", join(tmpdir(), "never")]);
    expect(code).toBe(1);
    expect(err).toMatch(/^DatasetError: Dataset root \/no\/such\/root does not exist/);
    expect(err).not.toContain("    at ");
  });
});
