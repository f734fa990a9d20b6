import { defineConfig } from "vitest/config";

/**
 * The fault-injection suite (tests/faults), run on its own after the contract suites so that its
 * time bounds are measured without Prism and the contract tests competing for the same two cores. It needs no
 * Prism: its loopback fault server is started by the tests.
 */
export default defineConfig({
  test: {
    root: new URL(".", import.meta.url).pathname,
    include: ["*.test.ts"],
    testTimeout: 60_000,
    fileParallelism: false,
  },
});
