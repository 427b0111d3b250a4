import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { fit } from "../../src/train/fit.ts";
import { makeRng } from "../../src/core/seed.ts";
import { nextEpochSeconds, sittingsFor, sittingStop } from "../../src/train/sitting_limit.ts";
import type { EpochLogs, TrainContext } from "../../src/train/callback.ts";
import { batchNormModel, blobSource } from "./_fixtures.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const logs = (seconds: number): EpochLogs => ({ loss: 1, accuracy: 0.5, lr: 0.01, seconds });
const ctx = {} as TrainContext;

/** A clock the test moves: seconds since the limit was made. */
function clock() {
  let t = 0;
  return { now: () => t, advance: (s: number) => (t += s) };
}

describe("nextEpochSeconds", () => {
  it("is the longer of the last epoch and the mean, and 0 before any epoch", () => {
    expect(nextEpochSeconds([])).toBe(0);
    expect(nextEpochSeconds([100, 120, 90])).toBeCloseTo(310 / 3, 9);
    expect(nextEpochSeconds([100, 100, 160])).toBe(160);
  });
});

describe("sittingStop", () => {
  it("stops after the epoch that reaches the limit, counting from the run's first epoch", () => {
    const stop = sittingStop({ afterEpoch: 3 });
    stop.callback.onEpochEnd(0, logs(1), ctx);
    stop.callback.onEpochEnd(1, logs(1), ctx);
    expect(stop.signal.aborted).toBe(false);
    expect(stop.reason()).toBeNull();
    stop.callback.onEpochEnd(2, logs(1), ctx);
    expect(stop.signal.aborted).toBe(true);
    expect(stop.reason()).toBe("stopped after epoch 3, as asked");
  });

  it("stops at once when a resumed run is already at or past the limit", () => {
    const stop = sittingStop({ afterEpoch: 2 });
    stop.callback.onTrainResume([logs(1), logs(1)], ctx);
    expect(stop.signal.aborted).toBe(true);
    expect(stop.reason()).toMatch(/already finished epoch 2/);
    const later = sittingStop({ afterEpoch: 3 });
    later.callback.onTrainResume([logs(1), logs(1)], ctx);
    expect(later.signal.aborted).toBe(false);
  });

  it("stops before an epoch that would end past the time budget, from the command's start", () => {
    const time = clock();
    const stop = sittingStop({ seconds: 100 }, { now: time.now });
    time.advance(25); // loading data counts
    for (const epoch of [0, 1, 2]) {
      time.advance(20);
      stop.callback.onEpochEnd(epoch, logs(20), ctx); // 45, 65, 85 used; the next would end at 65, 85, 105
      expect(stop.signal.aborted).toBe(epoch === 2);
    }
    expect(stop.reason()).toBe("stopped after epoch 3: 1m25s of the 1m40s time budget used, and the next epoch (about 20s) would end past it");
  });

  it("names the clock time it stops before when the limit is one (--until), with the time left", () => {
    const time = clock();
    const stop = sittingStop({ seconds: 100, endsAt: "07:30" }, { now: time.now });
    time.advance(85);
    stop.callback.onEpochEnd(0, logs(85), ctx);
    expect(stop.reason()).toBe("stopped after epoch 1: 15s left before 07:30, and the next epoch (about 1m25s) would end past it");
  });

  it("leaves room for scoring the kept weights over the run's views, timed as its validation passes", () => {
    const time = clock();
    const stop = sittingStop({ seconds: 100 }, { now: time.now });
    const run = { batchesPerEpoch: 3, scoringViews: 12 } as TrainContext;
    stop.callback.onTrainBegin(run);
    for (const epoch of [0, 1]) {
      time.advance(15); // training, to the end of its last batch
      stop.callback.onBatchEnd(2, { loss: 1, accuracy: 0.5, size: 8 }, run);
      time.advance(5); // validation
      stop.callback.onEpochEnd(epoch, logs(20), run); // 20, 40 used; the next epoch and 12 x 5 s of scoring would end at 100, 120
      expect(stop.signal.aborted).toBe(epoch === 1);
    }
    expect(stop.reason()).toBe(
      "stopped after epoch 2: 40s of the 1m40s time budget used, and the next epoch (about 20s) and scoring the kept weights over 12 view(s) (about 1m00s) would end past it",
    );
    // Without views to score, the same epochs go on: the second one ends at 40 s and a third would end at 60 s.
    const plainTime = clock();
    const plain = sittingStop({ seconds: 100 }, { now: plainTime.now });
    const plainRun = { batchesPerEpoch: 3 } as TrainContext;
    plain.callback.onTrainBegin(plainRun);
    for (const epoch of [0, 1]) {
      plainTime.advance(15);
      plain.callback.onBatchEnd(2, { loss: 1, accuracy: 0.5, size: 8 }, plainRun);
      plainTime.advance(5);
      plain.callback.onEpochEnd(epoch, logs(20), plainRun);
    }
    expect(plain.signal.aborted).toBe(false);
  });

  it("predicts the next epoch from the last one when it was slower than the mean", () => {
    const time = clock();
    const stop = sittingStop({ seconds: 100 }, { now: time.now });
    for (const [epoch, seconds] of [10, 10, 10, 50].entries()) {
      time.advance(seconds);
      stop.callback.onEpochEnd(epoch, logs(seconds), ctx);
    }
    // 80 used; the mean (20) would end at 100, within the budget, the last (50) at 130.
    expect(stop.signal.aborted).toBe(true);
    expect(stop.reason()).toMatch(/about 50s/);
  });

  it("predicts it from the mean when the last epochs were quicker", () => {
    const time = clock();
    const stop = sittingStop({ seconds: 90 }, { now: time.now });
    for (const [epoch, seconds] of [40, 10, 10, 10].entries()) {
      time.advance(seconds);
      stop.callback.onEpochEnd(epoch, logs(seconds), ctx);
    }
    expect(stop.signal.aborted).toBe(false); // 70 used, mean 17.5: ends at 87.5
    time.advance(10);
    stop.callback.onEpochEnd(4, logs(10), ctx);
    // 80 used; the last (10) would end at 90, within the budget, the mean (16) at 96.
    expect(stop.signal.aborted).toBe(true);
    expect(stop.reason()).toMatch(/about 16s/);
  });

  it("predicts each run's epochs from its own when one sitting trains several (a source, an ensemble's members)", () => {
    const time = clock();
    const stop = sittingStop({ seconds: 100 }, { now: time.now });
    const epochs = (count: number, seconds: number) => {
      for (let epoch = 0; epoch < count; epoch++) {
        time.advance(seconds);
        stop.callback.onEpochEnd(epoch, logs(seconds), ctx);
      }
    };
    stop.callback.onTrainBegin(ctx);
    epochs(2, 20); // the first run completes: 40 used
    stop.callback.onTrainBegin(ctx);
    epochs(11, 5); // the next one is quicker: 95 used
    // Its next epoch (5 s) ends at 100, within the budget; a mean with the first run's epochs (7.3 s) would not.
    expect(stop.signal.aborted).toBe(false);
    epochs(1, 5);
    expect(stop.signal.aborted).toBe(true);
    expect(stop.reason()).toMatch(/about 5s/);
  });

  it("passes the caller's own stop through, without a reason of its own", () => {
    const outer = new AbortController();
    const stop = sittingStop({ afterEpoch: 5 }, { signal: outer.signal });
    outer.abort();
    expect(stop.signal.aborted).toBe(true);
    expect(stop.reason()).toBeNull();
    const already = sittingStop({ seconds: 10 }, { signal: AbortSignal.abort() });
    expect(already.signal.aborted).toBe(true);
  });

  it("refuses limits that mean nothing, in the caller's words", () => {
    expect(() => sittingStop({ afterEpoch: 0 })).toThrow(/afterEpoch is 0; give a whole number of epochs >= 1/);
    expect(() => sittingStop({ afterEpoch: 2.5 }, { names: { afterEpoch: "--stop-after-epoch", seconds: "--time-budget" } }))
      .toThrow(/--stop-after-epoch is 2.5/);
    expect(() => sittingStop({ seconds: 0 })).toThrow(/seconds is 0 s; give a time > 0/);
    expect(() => sittingStop({ seconds: Number.NaN })).toThrow(/give a time > 0/);
  });

  it("interrupts fit after the limit's epoch: the run is resumable, not stopped by a callback", async () => {
    const stop = sittingStop({ afterEpoch: 2 });
    const result = await fit(batchNormModel(1), { train: blobSource(24, 1), validation: blobSource(8, 2) }, {
      epochs: 4, batchSize: 8, optimizer: tf.train.adam(0.01), rng: makeRng(1), signal: stop.signal, callbacks: [stop.callback],
    });
    expect(result.stopReason).toBe("interrupted");
    expect(result.history).toHaveLength(2);
  });

  it("changes nothing when the limit is the run's last epoch: fit completes", async () => {
    const stop = sittingStop({ afterEpoch: 3 });
    const result = await fit(batchNormModel(1), { train: blobSource(24, 1) }, {
      epochs: 3, batchSize: 8, optimizer: tf.train.adam(0.01), rng: makeRng(1), signal: stop.signal, callbacks: [stop.callback],
    });
    expect(result.stopReason).toBe("completed");
    expect(result.history).toHaveLength(3);
  });
});

describe("sittingsFor", () => {
  it("counts sittings by hand-worked cases", () => {
    expect(sittingsFor([], 100)).toBe(0);
    expect(sittingsFor([{ epochs: 50, epochSeconds: 180 }], 7200)).toBe(2); // 40 epochs, then 10
    expect(sittingsFor([{ epochs: 80, epochSeconds: 180 }], 7200)).toBe(2);
    expect(sittingsFor([{ epochs: 81, epochSeconds: 180 }], 7200)).toBe(3);
    expect(sittingsFor([{ epochs: 3, epochSeconds: 200 }], 100)).toBe(3); // an epoch longer than a sitting still runs, one a sitting
    // The first run's last epoch ends at 30 s, its own epochs predict 10 s more: the second run starts and overruns.
    expect(sittingsFor([{ epochs: 3, epochSeconds: 10 }, { epochs: 2, epochSeconds: 100 }], 120)).toBe(2);
    // Scoring the kept weights after each stop (10 min): 36 epochs a sitting instead of 40.
    expect(sittingsFor([{ epochs: 80, epochSeconds: 180, scoringSeconds: 600 }], 7200)).toBe(3);
  });

  it("agrees with the sittings sittingStop makes, runs trained one after another and resumed", () => {
    const rng = makeRng(5);
    for (let trial = 0; trial < 40; trial++) {
      const runs = Array.from({ length: 1 + Math.floor(rng.uniform(0, 3)) }, () => {
        const epochSeconds = Math.round(rng.uniform(5, 60));
        const validationSeconds = Math.round(rng.uniform(0, epochSeconds / 3));
        const views = Math.floor(rng.uniform(0, 13));
        return { epochs: 1 + Math.floor(rng.uniform(0, 12)), epochSeconds, validationSeconds, views, scoringSeconds: views * validationSeconds };
      });
      const budget = Math.round(rng.uniform(20, 300));
      let sittings = 1;
      let time = clock();
      let stop = sittingStop({ seconds: budget }, { now: time.now });
      const total = runs.reduce((sum, run) => sum + run.epochs, 0);
      let done = 0;
      for (const run of runs) {
        const runCtx = { batchesPerEpoch: 1, scoringViews: run.views } as TrainContext;
        stop.callback.onTrainBegin(runCtx);
        for (let epoch = 0; epoch < run.epochs; epoch++) {
          if (stop.signal.aborted) {
            // The next sitting: a fresh limit; the run goes on (a resumed fit begins again).
            sittings++;
            time = clock();
            stop = sittingStop({ seconds: budget }, { now: time.now });
            stop.callback.onTrainBegin(runCtx);
          }
          time.advance(run.epochSeconds - run.validationSeconds);
          stop.callback.onBatchEnd(0, { loss: 1, accuracy: 0.5, size: 8 }, runCtx);
          time.advance(run.validationSeconds);
          stop.callback.onEpochEnd(epoch, logs(run.epochSeconds), runCtx);
          done++;
        }
        if (stop.signal.aborted && done < total) {
          sittings++; // the next run is not started in a sitting that is over
          time = clock();
          stop = sittingStop({ seconds: budget }, { now: time.now });
        }
      }
      expect(sittingsFor(runs, budget), JSON.stringify({ runs, budget })).toBe(sittings);
    }
  });
});

