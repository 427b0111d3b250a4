/**
 * Shared base of callbacks that track the best value of a monitored metric.
 *
 * @module
 */
import { Callback, type CallbackState, type EpochLogs, readMonitor, type TrainContext } from "./callback.ts";

/** Which direction is better. `auto`: "min" for losses, "max" otherwise. */
export type MonitorMode = "auto" | "min" | "max";

/** Options shared by tracker callbacks. */
export interface TrackerOptions {
  /** Metric to watch. @default "val_loss" */
  monitor?: keyof EpochLogs;
  /** Direction of improvement. @default "auto" */
  mode?: MonitorMode;
  /** Smallest change that counts as an improvement. @default 0 */
  minDelta?: number;
}

/** Keeps `best` and `wait` (epochs since the last improvement). */
export class TrackerCallback extends Callback {
  readonly monitor: keyof EpochLogs;
  readonly minDelta: number;
  readonly #lowerIsBetter: boolean;
  best = Infinity;
  wait = 0;

  constructor(options: TrackerOptions = {}) {
    super();
    this.monitor = options.monitor ?? "val_loss";
    this.minDelta = Math.abs(options.minDelta ?? 0);
    const mode = options.mode ?? "auto";
    this.#lowerIsBetter = mode === "min" || (mode === "auto" && this.monitor.endsWith("loss"));
  }

  override onTrainBegin(_ctx: TrainContext): void {
    this.best = this.#lowerIsBetter ? Infinity : -Infinity;
    this.wait = 0;
  }

  /** Reads the monitor, updates best/wait, and says whether this epoch improved. */
  protected track(logs: EpochLogs): boolean {
    const value = readMonitor(logs, this.monitor);
    const improved = this.#lowerIsBetter ? value < this.best - this.minDelta : value > this.best + this.minDelta;
    if (improved) {
      this.best = value;
      this.wait = 0;
    } else {
      this.wait++;
    }
    return improved;
  }

  /** Best value and epochs without improvement; subclasses add theirs. */
  override checkpointState(): CallbackState | null {
    return { values: { best: this.best, wait: this.wait } };
  }

  override restoreCheckpointState(state: CallbackState, _ctx: TrainContext): void {
    this.best = state.values.best;
    this.wait = state.values.wait;
  }
}
