#!/usr/bin/env bash
# Installs everything the project needs on a machine that has only Node >= 20.19 and npm:
# pnpm (the version pinned in package.json's packageManager), then the workspace's dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
want=$(node -p 'require("./package.json").packageManager.split("@")[1]')
have=$(pnpm --version 2>/dev/null || true)
if [ "$have" != "$want" ]; then
  # corepack's signature check fails against some registry mirrors; a plain npm install of pnpm works everywhere.
  npm install -g "pnpm@$want" --no-fund --no-audit --loglevel=error
fi
pnpm install --frozen-lockfile --reporter=append-only
