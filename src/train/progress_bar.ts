/**
 * A terminal progress line for training: epoch, batch, loss, accuracy, images/s, ETA;
 * and the progress of a long pass over images outside training.
 *
 * @module
 */
import { Callback, type BatchLogs, type EpochLogs, type TrainContext } from "./callback.ts";

/** Options of {@linkcode progressBar}. */
export interface ProgressBarOptions {
  /** Writes text without a newline (e.g. to stderr). */
  write: (text: string) => void;
  /**
   * True when the output is a terminal: redraw one line with \r. False (a file, a pipe, a
   * cluster job's log): whole lines only, one per epoch and one every `lineEveryMs` within
   * a long epoch, so the log reads cleanly. @default true
   */
  interactive?: boolean;
  /** Clock in milliseconds, for tests. @default performance.now */
  now?: () => number;
  /** Minimum milliseconds between redraws. @default 200 */
  intervalMs?: number;
  /** Without a terminal: milliseconds between progress lines within an epoch. @default 60000 */
  lineEveryMs?: number;
}

/** Draws training progress; one summary line per epoch. */
export class ProgressBar extends Callback {
  readonly #options: Required<ProgressBarOptions>;
  #epoch = 0;
  #epochStart = 0;
  #images = 0;
  #loss = 0;
  #correct = 0;
  #lastDraw = -Infinity;

  constructor(options: ProgressBarOptions) {
    super();
    this.#options = { interactive: true, now: () => performance.now(), intervalMs: 200, lineEveryMs: 60_000, ...options };
  }

  override onEpochBegin(epoch: number): void {
    this.#epoch = epoch;
    this.#epochStart = this.#options.now();
    this.#images = this.#loss = this.#correct = 0;
    // Without a terminal the first line waits a full interval, so short epochs print only their summary.
    this.#lastDraw = this.#options.interactive ? -Infinity : this.#epochStart;
  }

  override onBatchEnd(batch: number, logs: BatchLogs, ctx: TrainContext): void {
    this.#images += logs.size;
    this.#loss += logs.loss * logs.size;
    this.#correct += logs.accuracy * logs.size;
    const now = this.#options.now();
    const last = batch + 1 === ctx.batchesPerEpoch;
    const { interactive } = this.#options;
    if (interactive ? !last && now - this.#lastDraw < this.#options.intervalMs : last || now - this.#lastDraw < this.#options.lineEveryMs) {
      return;
    }
    this.#lastDraw = now;
    const seconds = (now - this.#epochStart) / 1000;
    const rate = seconds > 0 ? this.#images / seconds : 0;
    const eta = rate > 0 ? ((ctx.batchesPerEpoch - batch - 1) * logs.size) / rate : 0;
    const progress = interactive ? `${bar((batch + 1) / ctx.batchesPerEpoch)} ` : "batch ";
    this.#options.write(
      `${interactive ? "\r" : ""}${this.#prefix(ctx)} ${progress}${batch + 1}/${ctx.batchesPerEpoch}` +
        ` loss ${(this.#loss / this.#images).toFixed(4)} acc ${(this.#correct / this.#images).toFixed(4)}` +
        ` ${rate.toFixed(0)} img/s ETA ${formatSeconds(eta)}${interactive ? "   " : "\n"}`,
    );
  }

  override onEpochEnd(_epoch: number, logs: EpochLogs, ctx: TrainContext): void {
    const validation = logs.val_loss === undefined
      ? ""
      : ` val_loss ${logs.val_loss.toFixed(4)} val_acc ${logs.val_accuracy?.toFixed(4)}`;
    const rate = logs.seconds > 0 ? this.#images / logs.seconds : 0;
    this.#options.write(
      `${this.#options.interactive ? "\r" : ""}${this.#prefix(ctx)} loss ${logs.loss.toFixed(4)} acc ${logs.accuracy.toFixed(4)}` +
        `${validation} lr ${logs.lr.toExponential(2)} ${formatSeconds(logs.seconds)} (${rate.toFixed(0)} img/s)\n`,
    );
  }

  #prefix(ctx: TrainContext): string {
    return `epoch ${this.#epoch + 1}/${ctx.epochs}`;
  }
}

/**
 * Makes a {@linkcode ProgressBar}.
 *
 * @param options See {@linkcode ProgressBarOptions}.
 * @returns The callback.
 * @example
 * ```ts
 * const progress = progressBar({ write: (t) => Deno.stderr.writeSync(new TextEncoder().encode(t)) });
 * ```
 */
export function progressBar(options: ProgressBarOptions): ProgressBar {
  return new ProgressBar(options);
}

/**
 * The progress callback of one long pass over images outside training (a
 * backbone's features, a teacher's scores): a live counter redrawn in a
 * terminal, ended by a newline when the pass is done; without one (a log
 * file, a cluster job), one whole line every `lineEveryMs` with the rate and
 * the time left, so a pass of many minutes still shows it is moving, and none
 * for a pass shorter than that (the caller's summary line says it ended).
 *
 * @param label What is passing, as it opens each line (`Features train`, `Teacher 2/4`).
 * @param ctx Where to write, whether it is a terminal, and (for tests) the clock and interval.
 * @returns `(done, total) => void`, called after each batch with the images done.
 * @example
 * ```ts
 * const onProgress = passProgress("Features train", { interactive: false, write: console.log, log: console.log });
 * ```
 */
export function passProgress(
  label: string,
  ctx: { interactive: boolean; write: (text: string) => void; log: (line: string) => void; now?: () => number; lineEveryMs?: number },
): (done: number, total: number) => void {
  const now = ctx.now ?? (() => performance.now());
  const lineEveryMs = ctx.lineEveryMs ?? 60_000;
  const started = now();
  let lastLine = started;
  return (done, total) => {
    if (ctx.interactive) return ctx.write(`\r${label} ${done}/${total}${done >= total ? "\n" : ""}`);
    const at = now();
    if (at - lastLine < lineEveryMs || done >= total) return;
    lastLine = at;
    const rate = done / ((at - started) / 1000);
    ctx.log(`${label}: ${done}/${total} images, ${rate.toFixed(0)} images/s, ${formatSeconds((total - done) / rate)} left`);
  };
}

function bar(fraction: number, width = 20): string {
  const filled = Math.round(Math.min(1, fraction) * width);
  return `[${"=".repeat(filled)}${" ".repeat(width - filled)}]`;
}

/**
 * Formats seconds as `1h02m`, `3m05s` or `12s`.
 *
 * @param seconds Non-negative seconds.
 * @returns The short form.
 * @example
 * ```ts
 * console.assert(formatSeconds(185) === "3m05s");
 * ```
 */
export function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${s}s`;
}
