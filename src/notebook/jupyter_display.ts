/**
 * The one door from the notebook helpers to the Jupyter frontend: a display
 * sink that sends MIME bundles. Helpers take a sink as an option, so tests pass
 * a fake one and notebooks use the kernel's.
 *
 * @module
 */

/** A Jupyter MIME bundle: MIME type to data (strings; base64 for images; objects for JSON types). */
export type MediaBundle = Record<string, string | object>;

/** Where a bundle goes: a new output, or an update of the output with `display_id`. */
export interface DisplayTarget {
  /** Names the output so later calls can replace it. */
  display_id?: string;
  /** Replace the output named `display_id` instead of adding one. @default false */
  update?: boolean;
}

/** Sends one MIME bundle to the notebook. */
export type NotebookDisplay = (bundle: MediaBundle, target?: DisplayTarget) => Promise<void>;

/**
 * The Deno kernel's display (`Deno.jupyter.display` with `raw: true`), checked
 * once when called so that code outside a kernel fails with a message instead
 * of Deno's. After each bundle it waits a moment (20 ms plus 1 ms per 20 kB)
 * so that the output reaches Jupyter before the cell reports it has finished.
 *
 * @returns A sink that adds or updates outputs of the running cell.
 * @throws Error when not running inside `deno jupyter`, saying what to pass instead.
 * @example
 * ```ts
 * // In a Deno notebook cell:
 * const display = jupyterDisplay();
 * await display({ "text/plain": "hello" });
 * ```
 */
export function jupyterDisplay(): NotebookDisplay {
  let jupyter: typeof Deno.jupyter | undefined;
  try {
    jupyter = Deno.jupyter;
  } catch {
    // Deno throws outside `deno jupyter`; in workers the property is simply missing.
    jupyter = undefined;
  }
  if (typeof jupyter?.display !== "function") {
    throw new Error(
      "Not running in a Deno Jupyter kernel (Deno.jupyter is missing); open the notebook with the Deno kernel " +
        "(deno task jupyter) or pass a display function in the options",
    );
  }
  const display = jupyter.display;
  return async (bundle, target = {}) => {
    await display(bundle, { raw: true, ...target });
    await new Promise((resolve) => setTimeout(resolve, settleMs(JSON.stringify(bundle).length)));
  };
}

/**
 * How long to wait after sending a bundle of `bytes`. The kernel can put a
 * cell's last output on the wire after the cell's "idle" status, and nbconvert
 * (like a frontend) then drops it; measured with 4.7 MB outputs, 4 of 12 were
 * lost without a wait and none with this one.
 */
function settleMs(bytes: number): number {
  return 20 + bytes / 20_000;
}
