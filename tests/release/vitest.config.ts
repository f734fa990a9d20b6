import { defineConfig } from "vitest/config";

/**
 * The release lifecycle suite (README "Releasing"), two projects:
 *   - release-unit: the API-diff policy, the compile check and package hygiene (no processes beyond Redocly/tsc);
 *   - release-registry: one real Verdaccio, one set of Prism mocks and one `changeset publish` for the whole run
 *     (global-setup.ts), then what landed, the consumer matrix and the "vendor changed its API" scenario.
 */
export default defineConfig({
  root: import.meta.dirname,
  test: {
    testTimeout: 180_000,
    hookTimeout: 600_000,
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: "release-unit", include: ["policy.test.ts", "compile-check.test.ts", "hygiene.test.ts"] } },
      {
        extends: true,
        test: {
          name: "release-registry",
          include: ["registry.test.ts", "consumers.test.ts", "lifecycle.test.ts"],
          globalSetup: ["./global-setup.ts"],
        },
      },
    ],
  },
});
