import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["contract/**/*.test.ts", "corpus/**/*.test.ts", "unit/**/*.test.ts"],
    globalSetup: ["./harness/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Tests share the Prism processes; two workers keep a 2-core machine busy without starving Prism.
    maxWorkers: 2,
  },
});
