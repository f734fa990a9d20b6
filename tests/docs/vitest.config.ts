import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The docs checks (`pnpm test:docs`, run by `npm test` after `pnpm docs:build`): no Prism needed, so they run
// apart from the contract tests' config.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL(".", import.meta.url)),
    include: ["*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The snippet type-check (tsc) and Chromium each keep a core busy; running them one after the other keeps a
    // 2-core machine responsive for whatever turbo runs beside them.
    fileParallelism: false,
  },
});
