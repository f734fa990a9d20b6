#!/usr/bin/env bash
# README command 1: the maintainer's main job on embedded defaults (scripts/release/main-job.mjs): regenerate the
# clients, build, classify API changes against the last release, run the contract tests, publish a scratch copy to
# an embedded local registry, install from it into a scratch consumer and run the README example there against
# embedded Prism mocks. Each step prints a short summary; full tool logs go to $TMPDIR.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp -t ak-bootstrap.XXXXXX.log)
echo "[0/6] Set up: pnpm (pinned) and the workspace's dependencies"
if ! bash scripts/bootstrap.sh >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi
echo "      pnpm $(pnpm --version), $(grep -cE '^(\+|-) ' "$log" || true) dependency change(s); log: $log"
exec node scripts/release/main-job.mjs
