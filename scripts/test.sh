#!/usr/bin/env bash
# README command 2: set up, then run every check and test: drift check, spec lint, build, typecheck, unit and
# Prism contract tests (turbo: `lint:specs → generate → build → typecheck → test`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
pnpm run test:all
