/**
 * Bundles the live page's code (live_page/live_app.ts and the video modules
 * it shares with `fer video`) into one browser script with esbuild, offline.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

/**
 * Builds the page script.
 *
 * `sharp` (reached through the dataset decoder, whose histogram equalisation
 * the page reuses) is replaced by an empty module: the page never decodes files.
 *
 * @returns The JavaScript source (an ES module, minified).
 * @throws Error from esbuild when the code does not build.
 * @example
 * ```ts
 * const script = await bundleLivePage();
 * console.assert(script.length > 100_000);
 * ```
 */
export async function bundleLivePage(): Promise<string> {
  const entry = fileURLToPath(new URL("./live_page/live_app.ts", import.meta.url));
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2020",
    minify: true,
    logLevel: "silent",
    plugins: [{
      name: "no-sharp",
      setup(build) {
        build.onResolve({ filter: /^sharp$/ }, () => ({ path: "sharp", namespace: "stub" }));
        build.onLoad({ filter: /.*/, namespace: "stub" }, () => ({ contents: "export default {};", loader: "js" }));
      },
    }],
  });
  await esbuild.stop();
  return result.outputFiles[0].text;
}
