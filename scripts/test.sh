#!/usr/bin/env bash
# README command 2: set up, then run every check and test, printing what each part cost:
#   1. drift check, then turbo's `lint:specs → generate → build → typecheck → test` (unit and Prism contract tests),
#      then `docs:build → test:docs` (the reference site: every TypeScript sample type-checked, every page in
#      Chromium; after the tests, not beside them, so tsc and Chromium do not slow timing-sensitive tests)
#   2. the API-change gate (`pnpm api:changeset --check`): specs changed since a release need big enough changesets
#   3. the release suite (tests/release): API-diff policy and package hygiene; then one real Verdaccio on loopback,
#      `changeset version` + `changeset publish` of a scratch copy, what landed, the consumer matrix (Node 20/22/24
#      ESM and require(), TypeScript nodenext/bundler/CommonJS, Bun, Deno, Chromium, attw, publint) and the
#      "vendor changed its API" lifecycle scenario.
set -euo pipefail
cd "$(dirname "$0")/.."
timings=()
part() {
  local label=$1
  shift
  local start=$SECONDS
  "$@"
  timings+=("$(printf '%4ss  %s' $((SECONDS - start)) "$label")")
}
part "setup (bootstrap)" bash scripts/bootstrap.sh
part "drift + lint + build + typecheck + unit and contract tests" pnpm run test:all
part "API-change gate (api:changeset --check)" node scripts/api-changeset.mjs --check
part "release suite (registry, consumer matrix, lifecycle)" pnpm run test:release
echo
echo "npm test: every part passed"
printf '%s\n' "${timings[@]}"
