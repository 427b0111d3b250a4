/**
 * Times a first load (decode + cache write) and a reload from the cache.
 *
 * Usage: `npx deno run -A bench/data_cache.ts [root] [--concurrency N]`
 * (root defaults to ../shared/data/facial_emotion_images beside the repository).
 * Targets for the real dataset (17,805 images) on the 2-core CI machine:
 * first load under 60 s, reload (fingerprinting included) under 2 s.
 *
 * @module
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadDataset } from "../src/data/load_dataset.ts";

const FIRST_TARGET_S = 60;
const RELOAD_TARGET_S = 2;

const args = [...Deno.args];
const flag = args.indexOf("--concurrency");
const concurrency = flag >= 0 ? Number(args.splice(flag, 2)[1]) : undefined;
const root = args[0] ?? resolve(dirname(fileURLToPath(import.meta.url)), "../../shared/data/facial_emotion_images");
const cacheDir = await mkdtemp(join(tmpdir(), "fer-bench-cache-"));
await rm(cacheDir, { recursive: true, force: true });

try {
  let started = performance.now();
  const first = await loadDataset(root, { cacheDir, concurrency });
  const firstSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  const again = await loadDataset(root, { cacheDir, concurrency });
  const reloadSeconds = (performance.now() - started) / 1000;

  const images = countImages(first);
  if (countImages(again) !== images || again.fingerprint !== first.fingerprint || again.cache.status !== "hit") {
    throw new Error(`Reload did not come from the cache: status ${again.cache.status}`);
  }
  console.log(`dataset      ${root}`);
  console.log(`images       ${images} (unreadable ${first.problems.unreadable.length}), fingerprint ${first.fingerprint.slice(0, 12)}`);
  console.log(`concurrency  ${concurrency ?? "default"}`);
  line("first load", firstSeconds, images, FIRST_TARGET_S, first.cache.status);
  line("reload", reloadSeconds, images, RELOAD_TARGET_S, again.cache.status);
} finally {
  await rm(cacheDir, { recursive: true, force: true });
}

function countImages(dataset: Awaited<ReturnType<typeof loadDataset>>): number {
  const { train, validation, test } = dataset.splits;
  return train.count + validation.count + (test?.count ?? 0);
}

function line(name: string, seconds: number, images: number, target: number, status: string): void {
  const verdict = seconds < target ? "PASS" : "MISS";
  console.log(
    `${name.padEnd(12)} ${seconds.toFixed(2)} s, ${Math.round(images / seconds)} images/s (cache ${status}); ` +
      `target < ${target} s: ${verdict}`,
  );
}
