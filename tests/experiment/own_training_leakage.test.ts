import { describe, expect, it } from "vitest";
import { anyLeaked } from "../../src/experiment/own_training_leakage.ts";

describe("anyLeaked", () => {
  it("marks an image leaked when any list marks it, and knows nothing when any list is unknown", () => {
    expect(anyLeaked([[true, false, false], [false, false, true]])).toEqual([true, false, true]);
    expect(anyLeaked([[false, true]])).toEqual([false, true]);
    expect(anyLeaked([[true, false], undefined])).toBeUndefined();
    expect(anyLeaked([])).toBeUndefined();
  });
});
