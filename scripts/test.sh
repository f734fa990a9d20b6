#!/usr/bin/env bash
# README command 2: set up, then run every check and test: drift check, then turbo's
# `lint:specs → generate → build → typecheck → test` (unit tests and Prism contract tests), then
# `docs:build → test:docs` (the reference site: every TypeScript sample type-checked, every page in Chromium; run
# after the tests, not beside them, so tsc and Chromium do not slow timing-sensitive tests on a 2-core machine),
# then a smoke test of the packed npm tarballs under Node 20 and Node 24.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
pnpm run test:all
bash scripts/smoke-packed.sh
