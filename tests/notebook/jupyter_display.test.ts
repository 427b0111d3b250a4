import { afterEach, describe, expect, it } from "vitest";
import { jupyterDisplay } from "../../src/notebook/jupyter_display.ts";

const original = Object.getOwnPropertyDescriptor(Deno, "jupyter");
afterEach(() => {
  if (original) Object.defineProperty(Deno, "jupyter", original);
  else delete (Deno as { jupyter?: unknown }).jupyter;
});

function fakeKernel(): { bundle: unknown; options: unknown }[] {
  const calls: { bundle: unknown; options: unknown }[] = [];
  Object.defineProperty(Deno, "jupyter", {
    configurable: true,
    value: { display: (bundle: unknown, options: unknown) => Promise.resolve(void calls.push({ bundle, options })) },
  });
  return calls;
}

describe("jupyterDisplay", () => {
  it("says how to proceed when called outside a Deno Jupyter kernel", () => {
    expect(() => jupyterDisplay()).toThrow(
      "Not running in a Deno Jupyter kernel (Deno.jupyter is missing); open the notebook with the Deno kernel",
    );
  });

  it("sends bundles raw, with the display id and update flag given", async () => {
    const calls = fakeKernel();
    const display = jupyterDisplay();
    await display({ "text/plain": "a" });
    await display({ "text/plain": "b" }, { display_id: "p", update: true });
    expect(calls).toEqual([
      { bundle: { "text/plain": "a" }, options: { raw: true } },
      { bundle: { "text/plain": "b" }, options: { raw: true, display_id: "p", update: true } },
    ]);
  });

  it("waits longer after a larger bundle before the cell may go on", async () => {
    fakeKernel();
    const display = jupyterDisplay();
    const started = performance.now();
    await display({ "text/plain": "x" });
    const small = performance.now() - started;
    await display({ "text/plain": "x".repeat(2_000_000) });
    const large = performance.now() - started - small;
    expect(small).toBeGreaterThanOrEqual(19);
    expect(large).toBeGreaterThanOrEqual(100 + 19); // 20 ms + 2 MB / 20 kB per ms
  });
});
