import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Tests share two cores; one file at a time keeps wasm thread pools from colliding.
    pool: "threads",
    fileParallelism: false,
  },
});
