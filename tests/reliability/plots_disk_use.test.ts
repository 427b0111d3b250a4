import { describe, expect, it } from "vitest";
import { mkdtemp, readdir, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { saveRunFigures } from "../../src/experiment/write_run_plots.ts";
import { createRun } from "../../src/experiment/run_store.ts";

describe("a run's plots on disk", () => {
  it("share one plotly.js copy in plots/ instead of inlining it in every page", async () => {
    const run = await createRun(await mkdtemp(join(tmpdir(), "fer-plots-")), { name: "t" }, { name: "t", now: new Date() });
    const figure = (n: number) => ({ data: [{ type: "bar", x: ["a"], y: [n] }], layout: { title: `f${n}` } });
    const figures = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`figure_${i}`, figure(i)]));
    await saveRunFigures(run, figures, { images: false, log: () => {} });
    await saveRunFigures(run, { extra: figure(9) }, { images: false, log: () => {} });
    const dir = join(run.dir, "plots");
    const names = (await readdir(dir)).sort();
    expect(names.filter((n) => n.endsWith(".js"))).toEqual(["plotly.min.js"]);
    let total = 0;
    for (const name of names) {
      const size = (await stat(join(dir, name))).size;
      total += size;
      if (name.endsWith(".html")) {
        const html = await readFile(join(dir, name), "utf8");
        expect(html).toContain('<script src="plotly.min.js"></script>');
        expect(size).toBeLessThan(10_000);
      }
    }
    // One copy of plotly (about 4.7 MB) and eight small pages, not eight copies (38 MB).
    expect(total).toBeLessThan(6_000_000);
  });
});
