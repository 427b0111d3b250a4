import { describe, expect, it } from "vitest";
import { oneCycleTable } from "../../src/notebook/one_cycle_table.ts";
import { parseRunConfig } from "../../src/experiment/run_config.ts";

describe("oneCycleTable", () => {
  it("gives the rate and beta1 at the first step, halfway up, the peak, halfway down and the last step", () => {
    // 100 images in batches of 10 for 2 epochs: 20 steps, the peak at step 0.3 * 20 - 1 = 5; peak rate 0.01.
    const config = parseRunConfig({
      name: "x",
      model: { family: "small_cnn" },
      training: { epochs: 2, batchSize: 10, optimizer: { name: "adam", learningRate: 0.01 }, schedule: { name: "one_cycle" } },
    });
    const table = oneCycleTable(config, 100, { caption: "c" });
    expect(table.caption).toBe("c");
    expect(table.headers).toEqual(["step", "epoch", "learning rate", "beta1"]);
    expect(table.cells.map((row) => row.slice(0, 2))).toEqual([[0, 1], [3, 1], [5, 1], [12, 2], [19, 2]]);
    expect(table.cells[0].slice(2)).toEqual(["4.00e-4", "0.950"]); // 0.01 / 25
    expect(table.cells[2].slice(2)).toEqual(["1.00e-2", "0.850"]);
    expect(table.cells[4].slice(2)).toEqual(["4.00e-8", "0.950"]); // 4e-4 / 1e4
  });
  it("shows no momentum when the schedule leaves it alone, and refuses another schedule", () => {
    const config = parseRunConfig({
      name: "x",
      model: { family: "small_cnn" },
      training: { optimizer: { name: "sgd", momentum: 0 }, schedule: { name: "one_cycle", momentum: null } },
    });
    const table = oneCycleTable(config, 10);
    expect(table.headers[3]).toBe("momentum");
    expect(table.cells.every((row) => row[3] === "-")).toBe(true);
    expect(() => oneCycleTable(parseRunConfig({ name: "y", model: { family: "small_cnn" } }), 10)).toThrow("oneCycleTable needs a one_cycle schedule; y has constant");
  });
});
