import { describe, expect, it } from "vitest";
import { abortableSleep } from "../../src/core/abortable_sleep.ts";

describe("abortableSleep", () => {
  it("waits the time without a signal, and ends at once when its signal aborts or has aborted", async () => {
    let started = performance.now();
    await abortableSleep(50);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);

    const stop = new AbortController();
    started = performance.now();
    setTimeout(() => stop.abort(), 20);
    await abortableSleep(10_000, stop.signal);
    expect(performance.now() - started).toBeLessThan(5_000);

    started = performance.now();
    await abortableSleep(10_000, stop.signal);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
