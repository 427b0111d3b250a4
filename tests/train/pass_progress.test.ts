import { describe, expect, it } from "vitest";
import { passProgress } from "../../src/train/progress_bar.ts";

describe("passProgress", () => {
  it("without a terminal writes one whole line per interval, with rate and time left, and none at the end", () => {
    let clock = 0;
    const lines: string[] = [];
    const written: string[] = [];
    const progress = passProgress("Features train", { interactive: false, write: (t) => written.push(t), log: (l) => lines.push(l), now: () => clock, lineEveryMs: 1000 });
    clock = 500;
    progress(50, 400); // before the first interval: quiet
    clock = 1000;
    progress(100, 400);
    clock = 1500;
    progress(150, 400); // within the interval since the last line
    clock = 4000;
    progress(400, 400); // done: the caller's summary line says it
    expect(lines).toEqual(["Features train: 100/400 images, 100 images/s, 3s left"]);
    expect(written).toEqual([]);
  });

  it("counts the rate from its creation, not from its first report", () => {
    let clock = 0;
    const lines: string[] = [];
    const progress = passProgress("Teacher 2/4", { interactive: false, write: () => {}, log: (l) => lines.push(l), now: () => clock, lineEveryMs: 60_000 });
    clock = 120_000;
    progress(6000, 28709);
    expect(lines).toEqual(["Teacher 2/4: 6000/28709 images, 50 images/s, 7m34s left"]);
  });

  it("in a terminal redraws a counter on every call, ends its line when the pass is done, and logs nothing", () => {
    const lines: string[] = [];
    const written: string[] = [];
    const progress = passProgress("Features validation", { interactive: true, write: (t) => written.push(t), log: (l) => lines.push(l), now: () => 0 });
    progress(1, 2);
    progress(2, 2);
    expect(written).toEqual(["\rFeatures validation 1/2", "\rFeatures validation 2/2\n"]);
    expect(lines).toEqual([]);
  });
});
