#!/usr/bin/env bash
# README command 1: set up, regenerate the clients from the specs, build, then run the example through the
# `activation-kit` facade. Without vendor credentials in the environment it runs against embedded Prism mocks.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
pnpm run generate
pnpm exec turbo run build --output-logs=errors-only
pnpm run demo
