import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../../src/core/errors.ts";
import { saveModel } from "../../src/experiment/model_files.ts";
import { readModelArtifacts } from "../../src/transfer/read_model_artifacts.ts";
import { tempDir, writeTinyGraphModel } from "./transfer_fixtures.ts";

let graphJson = "";
let layersDir = "";
let server: Server;
let baseUrl = "";
const requests: string[] = [];

beforeAll(async () => {
  await tf.setBackend("cpu");
  const root = await tempDir("artifacts");
  graphJson = await writeTinyGraphModel(join(root, "graph"));
  layersDir = join(root, "layers");
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3], name: "d" })] });
  await saveModel(model, layersDir);
  server = createServer(async (request, response) => {
    requests.push(request.url ?? "");
    try {
      response.end(await readFile(join(root, request.url ?? "")));
    } catch {
      response.statusCode = 404;
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  baseUrl = `http://127.0.0.1:${address.port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("readModelArtifacts", () => {
  it("reads a graph model from a path and recognises its format", async () => {
    const { kind, artifacts, sha256 } = await readModelArtifacts(graphJson, { projectRoot: "." });
    expect(kind).toBe("graph");
    expect(artifacts.weightSpecs?.map((w) => w.name)).toEqual(["w"]);
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("reads a layers model from its folder and recognises its format", async () => {
    const { kind, artifacts } = await readModelArtifacts(layersDir, { projectRoot: "." });
    expect(kind).toBe("layers");
    expect(artifacts.weightSpecs?.length).toBe(2);
  });

  it("reads the same files from a file:// URL, with the same hash", async () => {
    const fromPath = await readModelArtifacts(graphJson, { projectRoot: "." });
    const fromUrl = await readModelArtifacts(pathToFileURL(graphJson).href, { projectRoot: "." });
    expect(fromUrl.sha256).toBe(fromPath.sha256);
  });

  it("fetches model.json and its weights from an http URL, resolving the weights beside it", async () => {
    requests.length = 0;
    const { kind, sha256 } = await readModelArtifacts(`${baseUrl}/graph/model.json`, { projectRoot: "." });
    expect(kind).toBe("graph");
    expect(requests).toEqual(["/graph/model.json", "/graph/weights.bin"]);
    expect(sha256).toBe((await readModelArtifacts(graphJson, { projectRoot: "." })).sha256);
  });

  it("names the URL and the HTTP status when the server has no such model", async () => {
    await expect(readModelArtifacts(`${baseUrl}/none/model.json`, { projectRoot: "." })).rejects.toThrow(ConfigError);
    await expect(readModelArtifacts(`${baseUrl}/none/model.json`, { projectRoot: "." })).rejects.toThrow("answered HTTP 404");
  });

  it("rejects a JSON file that is not a tfjs model", async () => {
    const path = join(await tempDir("artifacts-bad"), "model.json");
    await writeFile(path, JSON.stringify({ hello: "world" }));
    await expect(readModelArtifacts(path, { projectRoot: "." })).rejects.toThrow("it has no modelTopology and weightsManifest");
  });
});
