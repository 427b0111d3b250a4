/**
 * Writers for standard output and standard error that never throw: a reader
 * that goes away (`| tee log` ended by Ctrl-C, `| head`, a closed terminal)
 * must never kill a run that is training or saving its folder.
 *
 * @module
 */

/** The part of a Node-style writable stream the writer uses. */
export interface WritableLike {
  write(text: string, callback?: (error?: Error | null) => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
}

/** A writer made by {@linkcode safeWriter}. */
export interface SafeWriter {
  /** Writes `text`; once the stream has failed, does nothing. Never throws. */
  write(text: string): void;
  /** True after the first failed write (EPIPE, EIO, a closed descriptor). */
  readonly closed: boolean;
}

/**
 * Wraps a stream so that writing to it can fail without an exception: the
 * first failure, whether thrown at once or reported later as an `error`
 * event (Node reports EPIPE that way, and an unheard `error` event ends the
 * process), marks the writer closed and later text is dropped.
 *
 * @param stream The stream, e.g. `process.stderr`.
 * @returns The writer.
 * @example
 * ```ts
 * const failing = { write() { throw new Error("write EPIPE"); }, on() {} };
 * const writer = safeWriter(failing);
 * writer.write("epoch 1\n");
 * console.assert(writer.closed === true);
 * ```
 */
export function safeWriter(stream: WritableLike): SafeWriter {
  let closed = false;
  const close = () => {
    closed = true;
  };
  try {
    stream.on("error", close);
  } catch {
    closed = true;
  }
  return {
    write(text: string) {
      if (closed) return;
      try {
        stream.write(text, (error) => {
          if (error) close();
        });
      } catch {
        close();
      }
    },
    get closed() {
      return closed;
    },
  };
}
