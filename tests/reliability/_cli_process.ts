/**
 * Helpers for the reliability tests: a tiny synthetic dataset and config, and
 * the CLI started as a real process (signals, pipes and exit codes are what
 * these tests pin, so an in-process call would not do).
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { generateSyntheticDataset } from "../../src/data/synthetic_faces.ts";

/** A scratch folder with a synthetic dataset, a config, and results/cache folders. */
export interface TinyProject {
  dir: string;
  dataRoot: string;
  results: string;
  cache: string;
  /** Writes a config for `epochs` epochs and returns its path. */
  config(epochs: number, extra?: Record<string, unknown>): Promise<string>;
  /** Environment for the CLI: FER_RESULTS and FER_CACHE inside `dir`. */
  env: Record<string, string>;
}

/** Makes a {@linkcode TinyProject}: 16 train, 6 validation and 6 test images per class, 24 pixels. */
export async function makeTinyProject(prefix: string): Promise<TinyProject> {
  const dir = await mkdtemp(join(tmpdir(), `fer-${prefix}-`));
  const dataRoot = join(dir, "synthetic");
  await generateSyntheticDataset(dataRoot, { perClass: { train: 16, validation: 6, test: 6 }, seed: 3 });
  const results = join(dir, "results");
  const cache = join(dir, "cache");
  return {
    dir,
    dataRoot,
    results,
    cache,
    env: { FER_RESULTS: results, FER_CACHE: cache },
    async config(epochs, extra = {}) {
      const path = join(dir, `tiny_${epochs}.json`);
      await writeFile(path, JSON.stringify({
        name: "tiny",
        seed: 1,
        backend: "wasm",
        dataset: { root: dataRoot, size: 24 },
        model: { family: "small_cnn", filters: [4, 8], denseUnits: 8 },
        training: { epochs, batchSize: 16 },
        ...extra,
      }));
      return path;
    },
  };
}

/** The CLI as a child process, its output collected. */
export interface CliProcess {
  child: ChildProcess;
  /** Text read from stdout and stderr so far. */
  readonly out: string;
  readonly err: string;
  /** Resolves when stderr has shown `text` (rejects if the process exits first). */
  waitForErr(text: string | RegExp): Promise<void>;
  /** Resolves when stdout has shown `text` (rejects if the process exits first). */
  waitForOut(text: string | RegExp): Promise<void>;
  /** Resolves with the exit code (null when a signal ended it) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `deno run -A src/cli.ts <args>` from the project root with the
 * Deno that runs the tests.
 */
export function startCli(args: string[], env: Record<string, string>, options: { detached?: boolean } = {}): CliProcess {
  const child = spawn(process.execPath, ["run", "-A", resolve("src/cli.ts"), ...args], {
    cwd: resolve("."),
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: options.detached ?? false,
  });
  let out = "", err = "";
  const waiters: { stream: "out" | "err"; text: string | RegExp; resolve: () => void; reject: (e: Error) => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      const seen = w.stream === "out" ? out : err;
      if (typeof w.text === "string" ? seen.includes(w.text) : w.text.test(seen)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout!.on("data", (chunk) => {
    out += chunk;
    check();
  });
  child.stderr!.on("data", (chunk) => {
    err += chunk;
    check();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    child.on("exit", (code, signal) => {
      for (const w of waiters.splice(0)) w.reject(new Error(`CLI exited (${code ?? signal}) before showing ${w.text} on std${w.stream}; stderr:\n${err}`));
      done({ code, signal });
    });
  });
  return {
    child,
    get out() {
      return out;
    },
    get err() {
      return err;
    },
    waitForErr(text) {
      return new Promise((resolveWait, reject) => {
        waiters.push({ stream: "err", text, resolve: resolveWait, reject });
        check();
      });
    },
    waitForOut(text) {
      return new Promise((resolveWait, reject) => {
        waiters.push({ stream: "out", text, resolve: resolveWait, reject });
        check();
      });
    },
    exited,
  };
}

/** Reads the manifest of the only (or newest) run under `results`. */
export async function newestManifest(results: string): Promise<{ id: string; manifest: Record<string, unknown> }> {
  const ids = (await readdir(join(results, "runs"))).sort();
  const id = ids[ids.length - 1];
  return { id, manifest: JSON.parse(await readFile(join(results, "runs", id, "manifest.json"), "utf8")) };
}
