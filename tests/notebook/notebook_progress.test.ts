import { describe, expect, it } from "vitest";
import { notebookProgress } from "../../src/notebook/notebook_progress.ts";
import { recordingDisplay } from "./notebook_fixtures.ts";

function clock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

const logs = (epoch: number) => ({ loss: 1 / epoch, accuracy: 0.1 * epoch, val_loss: 2 / epoch, val_accuracy: 0.2, lr: 0.001, seconds: 1 });

describe("NotebookProgress", () => {
  it("shows log lines in one output that later lines update in place", async () => {
    const { display, calls } = recordingDisplay();
    const progress = notebookProgress({ display });
    progress.log("Dataset found");
    progress.log("Run 1");
    await progress.flush();
    expect(calls.map((c) => c.bundle["text/plain"])).toEqual(["Dataset found", "Dataset found\nRun 1", "Dataset found\nRun 1"]);
    expect(calls.map((c) => c.target?.update)).toEqual([false, true, true]);
    expect(new Set(calls.map((c) => c.target?.display_id)).size).toBe(1);
  });

  it("redraws the progress line in place on a carriage return and keeps it when a newline ends it", async () => {
    const { display, calls } = recordingDisplay();
    const progress = notebookProgress({ display, intervalMs: 0 });
    progress.write("\repoch 1/2 [=   ] 1/4");
    progress.write("\repoch 1/2 [==  ] 2/4");
    progress.write("\repoch 1/2 loss 0.5\n");
    progress.write("\repoch 2/2 [=   ] 1/4");
    await progress.flush();
    expect(calls[1].bundle["text/plain"]).toBe("epoch 1/2 [==  ] 2/4");
    expect(calls.at(-1)?.bundle["text/plain"]).toBe("epoch 1/2 loss 0.5\nepoch 2/2 [=   ] 1/4");
  });

  it("skips redraws of an unfinished line that come sooner than intervalMs, but not finished lines", async () => {
    const { display, calls } = recordingDisplay();
    const time = clock();
    const progress = notebookProgress({ display, intervalMs: 500, now: time.now });
    progress.write("\ra");
    time.advance(100);
    progress.write("\rb");
    time.advance(100);
    progress.write("\rc\n");
    time.advance(600);
    progress.write("\rd");
    await progress.flush();
    expect(calls.map((c) => c.bundle["text/plain"])).toEqual(["a", "c", "c\nd", "c\nd"]);
  });

  it("ends an unfinished progress line before a log line", async () => {
    const { display, calls } = recordingDisplay();
    const progress = notebookProgress({ display });
    progress.write("\rDecoding images 10/10");
    progress.log("data: train 10");
    await progress.flush();
    expect(calls.at(-1)?.bundle["text/plain"]).toBe("Decoding images 10/10\ndata: train 10");
  });

  it("keeps only the last maxLines lines", async () => {
    const { display, calls } = recordingDisplay();
    const progress = notebookProgress({ display, maxLines: 2 });
    for (const line of ["1", "2", "3"]) progress.log(line);
    await progress.flush();
    expect(calls.at(-1)?.bundle["text/plain"]).toBe("2\n3");
  });

  it("escapes the text in its HTML form", async () => {
    const { display, calls } = recordingDisplay();
    const progress = notebookProgress({ display });
    progress.log("<b>x</b>");
    await progress.flush();
    expect(String(calls[0].bundle["text/html"])).toContain("&lt;b&gt;x&lt;/b&gt;");
  });

  it("draws the learning curves after each epoch in a second output it updates, reset by onTrainBegin", async () => {
    const { display, calls } = recordingDisplay();
    const progress = notebookProgress({ display });
    progress.onTrainBegin();
    progress.onEpochEnd(0, logs(1));
    progress.onEpochEnd(1, logs(2));
    await progress.flush();
    const curves = calls.filter((c) => "application/vnd.plotly.v1+json" in c.bundle);
    expect(curves.map((c) => c.target?.update)).toEqual([false, true]);
    const figure = curves[1].bundle["application/vnd.plotly.v1+json"] as { data: { y: number[] }[] };
    expect(figure.data[0].y).toEqual([1, 0.5]);
    progress.onTrainBegin();
    progress.onEpochEnd(0, logs(1));
    await progress.flush();
    const last = calls.filter((c) => "application/vnd.plotly.v1+json" in c.bundle).at(-1)!;
    expect((last.bundle["application/vnd.plotly.v1+json"] as { data: { y: number[] }[] }).data[0].y).toEqual([1]);
    expect(last.target?.update).toBe(false);
  });

  it("sends updates in order even when the display is slow", async () => {
    const seen: string[] = [];
    const progress = notebookProgress({
      display: async (bundle) => {
        await new Promise((r) => setTimeout(r, bundle["text/plain"] === "1" ? 20 : 0));
        seen.push(String(bundle["text/plain"]));
      },
    });
    progress.log("1");
    progress.log("2");
    await progress.flush();
    expect(seen).toEqual(["1", "1\n2", "1\n2"]);
  });

  it("reports the first display error from flush", async () => {
    const progress = notebookProgress({ display: () => Promise.reject(new Error("Kernel gone")) });
    progress.log("x");
    await expect(progress.flush()).rejects.toThrow("Kernel gone");
  });

  it("gives a run context whose output goes to the display and whose progress redraws", () => {
    const { display } = recordingDisplay();
    const progress = notebookProgress({ display });
    const context = progress.runContext({ projectRoot: "/p", resultsRoot: "/r", cacheDir: null }, { imagePlots: false });
    expect(context).toMatchObject({ projectRoot: "/p", resultsRoot: "/r", cacheDir: null, interactive: true, imagePlots: false });
    expect(context.log).toBe(progress.log);
    expect(context.write).toBe(progress.write);
    expect(context.callbacks).toEqual([progress]);
  });
});
