import { describe, expect, it } from "vitest";
import { makeRng, Rng } from "../../src/core/seed.ts";
import { ConfigError } from "../../src/core/errors.ts";

describe("makeRng", () => {
  it("gives the same stream for the same seed", () => {
    const a = makeRng(42), b = makeRng(42);
    for (let i = 0; i < 100; i++) expect(a.next()).toBe(b.next());
  });
  it("gives different streams for different seeds", () => {
    expect(makeRng(1).next()).not.toBe(makeRng(2).next());
  });
  it("rejects a seed that is not a 32-bit unsigned integer", () => {
    expect(() => makeRng(-1)).toThrow(ConfigError);
    expect(() => makeRng(1.5)).toThrow("Seed 1.5 is not an integer");
  });
  it("restores its state from stateDict", () => {
    const rng = makeRng(3);
    rng.next();
    const saved = rng.stateDict();
    const expected = rng.next();
    const other = new Rng(0);
    other.loadStateDict(saved);
    expect(other.next()).toBe(expected);
  });
  it("keeps int() in range and shuffle() a permutation", () => {
    const rng = makeRng(9);
    for (let i = 0; i < 1000; i++) {
      const v = rng.int(5);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(5);
    }
    const items = [0, 1, 2, 3, 4, 5, 6, 7];
    expect([...rng.shuffle([...items])].sort()).toEqual(items);
  });
});

describe("randomness lives in one place", () => {
  it("uses Math.random nowhere in src", async () => {
    const { readdir, readFile } = await import("node:fs/promises");
    const offenders: string[] = [];
    for (const entry of await readdir("src", { recursive: true })) {
      const path = `src/${entry}`;
      if (!path.endsWith(".ts")) continue;
      if ((await readFile(path, "utf8")).includes("Math.random")) offenders.push(path);
    }
    expect(offenders).toEqual([]);
  });
});
