import { describe, expect, it } from "vitest";
import { nullIfStopped } from "../../src/cli/stop_signals.ts";

describe("nullIfStopped", () => {
  it("gives the work's result, null when it failed because it was stopped, and any other failure as it came", async () => {
    const running = new AbortController();
    expect(await nullIfStopped(Promise.resolve(3), running.signal)).toBe(3);
    await expect(nullIfStopped(Promise.reject(new Error("disk full")), running.signal)).rejects.toThrow("disk full");

    const stopped = new AbortController();
    stopped.abort();
    expect(await nullIfStopped(Promise.reject(stopped.signal.reason), stopped.signal)).toBeNull();
    // Whatever the stop interrupted counts as stopped: the work wrote nothing either way.
    expect(await nullIfStopped(Promise.reject(new Error("model disposed")), stopped.signal)).toBeNull();
  });
});
