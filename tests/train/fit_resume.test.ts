import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { fit, type FitOptions } from "../../src/train/fit.ts";
import { decodeFitState, disposeFitState, encodeFitState, type FitState } from "../../src/train/fit_state.ts";
import { makeRng } from "../../src/core/seed.ts";
import { keepBestWeights } from "../../src/train/keep_best_weights.ts";
import { reduceLrOnPlateau } from "../../src/train/reduce_lr_on_plateau.ts";
import { earlyStopping } from "../../src/train/early_stopping.ts";
import { Callback } from "../../src/train/callback.ts";
import { batchNormModel, blobSource } from "./_fixtures.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const EPOCHS = 4;

/** Everything with state between epochs: Adam's slots, a plateau schedule, early stopping, kept best weights, a weight average, mixup's draws. */
function options(rest: Partial<FitOptions>): FitOptions {
  return {
    epochs: EPOCHS,
    batchSize: 8,
    optimizer: tf.train.adam(0.05),
    rng: makeRng(11),
    mix: { name: "mixup", alpha: 0.4, probability: 1 },
    weightAverage: { decay: 0.9 },
    // "max" on a falling loss: the kept weights are the first epoch's and the rate halves every third epoch, so
    // a resumed training that lost the callbacks' state (best so far, epochs waited) ends elsewhere.
    callbacks: [
      reduceLrOnPlateau({ monitor: "val_loss", mode: "max", factor: 0.5, patience: 2 }),
      earlyStopping({ monitor: "val_loss", patience: 10 }),
      keepBestWeights({ monitor: "val_loss", mode: "max" }),
    ],
    ...rest,
  };
}

const data = () => ({ train: blobSource(40, 1), validation: blobSource(24, 2) });

async function weightsOf(model: tf.LayersModel): Promise<number[][]> {
  return await Promise.all(model.getWeights().map(async (w) => Array.from(await w.data())));
}

describe("fit, resumed from a checkpoint", () => {
  it("ends with the same weights and history as a training that never stopped", async () => {
    const straight = batchNormModel(5);
    const whole = await fit(straight, data(), options({}));

    // The same training, stopped after its second epoch; its checkpoints go through the file encoding.
    const controller = new AbortController();
    const saved: Uint8Array[] = [];
    class StopAfterSecondEpoch extends Callback {
      override onEpochEnd(epoch: number) {
        if (epoch === 1) controller.abort();
      }
    }
    const first = await fit(batchNormModel(5), data(), options({
      signal: controller.signal,
      callbacks: [...options({}).callbacks!, new StopAfterSecondEpoch()],
      onCheckpoint: async (state) => void saved.push(await encodeFitState(state, { note: "x" })),
    }));
    expect(first.stopReason).toBe("interrupted");
    expect(saved).toHaveLength(2);

    const { state, extra } = decodeFitState(saved[1], "checkpoint.bin");
    expect(extra).toEqual({ note: "x" });
    expect(state.epochsDone).toBe(2);
    // A fresh model and optimizer, as a new process would have them.
    const resumedModel = batchNormModel(99);
    const resumed = await fit(resumedModel, data(), options({ resume: state }));
    disposeFitState(state);

    expect(resumed.history).toEqual(whole.history.map((logs, i) => ({ ...logs, seconds: resumed.history[i].seconds })));
    expect(await weightsOf(resumedModel)).toEqual(await weightsOf(straight));
  });

  it("restores what each stateful callback needs, infinities included", async () => {
    let captured: Uint8Array | null = null;
    await fit(batchNormModel(5), data(), options({
      epochs: 1,
      onCheckpoint: async (state) => void (captured = await encodeFitState({ ...state, callbacks: { ...state.callbacks, probe: { values: { best: -Infinity, wait: NaN } } } })),
    }));
    const { state } = decodeFitState(captured!, "checkpoint.bin");
    expect(Object.keys(state.callbacks).sort()).toEqual(["early_stopping", "keep_best_weights", "probe", "reduce_lr_on_plateau"]);
    expect(state.callbacks.probe.values.best).toBe(-Infinity);
    expect(state.callbacks.probe.values.wait).toBeNaN();
    expect(state.callbacks.keep_best_weights.values.bestEpoch).toBe(0);
    expect(state.callbacks.reduce_lr_on_plateau.values.wait).toBe(0);
    expect(state.callbacks.keep_best_weights.tensors).toHaveLength(batchNormModel(1).getWeights().length);
    expect(state.optimizer[0].name).toBe("iter");
    expect(Array.from(await state.optimizer[0].tensor.data())).toEqual([5]);
    expect(state.average?.steps).toBe(5);
    disposeFitState(state);
  });

  it("refuses bytes that are not a checkpoint, or are cut short, naming the file", async () => {
    let captured: Uint8Array | null = null;
    await fit(batchNormModel(5), data(), options({ epochs: 1, onCheckpoint: async (s: FitState) => void (captured = await encodeFitState(s)) }));
    expect(() => decodeFitState(new TextEncoder().encode("{}"), "run/checkpoint.bin")).toThrow(/run\/checkpoint.bin is not a usable training checkpoint: it does not start/);
    expect(() => decodeFitState(captured!.subarray(0, captured!.length - 8), "c.bin")).toThrow(/tensors hold \d+ bytes where \d+ are described/);
  });
});
